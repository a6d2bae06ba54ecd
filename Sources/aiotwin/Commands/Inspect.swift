import ArgumentParser
import Foundation
import Workbench

/// `aiotwin inspect`: what an HDF5 file holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an HDF5 file's tree, attributes and the first rows of its tables.")

    @Argument(help: "The HDF5 file (a run file or any other).")
    var file: String

    @Option(help: "Table rows to show.")
    var rows = 5

    @Flag(help: "Print the tree as JSON.")
    var json = false

    func run() throws {
        let inspector = FileInspector(headRows: max(0, rows))
        let root = try inspector.inspect(path: file)
        if json {
            let data = try JSONSerialization.data(withJSONObject: inspector.json(root), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(file)
            print(inspector.text(root), terminator: "")
        }
    }
}
