import ArgumentParser
import Foundation
import Scripting
import Workbench

/// `aiotwin notebook`: Markdown notebooks whose Lua blocks are executed in order.
struct Notebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Execute Markdown notebooks of Lua blocks, writing each block's output below it.",
        subcommands: [RunNotebook.self])
}

/// `aiotwin notebook run FILE.md`.
struct RunNotebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the ```lua blocks of a Markdown file in one Lua state and write their outputs back.",
        discussion: """
            Outputs (printed text, returned values, plots, errors) go between
            <!-- aiotwin:output --> markers below each block and are replaced on every run, so
            re-running is idempotent. Execution stops at the first failing block. Run files and
            plots go to NOTEBOOK.files/ next to the notebook unless --out says otherwise; blocks
            marked ```lua {skip} are not executed.
            """)

    @Argument(help: "The Markdown notebook.")
    var file: String

    @OptionGroup var options: ScriptOptions

    @Flag(help: "Do not write the file; exit non-zero if its outputs would change.")
    var check = false

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("cannot read the notebook '\(file)'")
        }
        let url = URL(fileURLWithPath: file)
        let directory = url.deletingLastPathComponent().path
        let defaultOut = directory + "/" + url.deletingPathExtension().lastPathComponent + ".files"
        let printed = PrintBuffer()
        let host = try ScriptHost(configuration: options.configuration(
            scriptDirectory: directory, source: text, defaultOut: defaultOut, print: { printed.append($0) }))
        let result = try NotebookRunner.run(text: text, fileName: file) { block in
            printed.take()
            _ = host.takeArtifacts()
            let start = Date()
            var output = BlockOutput()
            do {
                let values = try host.run(source: block.source(padded: true), chunkName: file)
                output.values = values.map(\.description)
            } catch {
                output.error = "\(error)"
            }
            output.text = printed.take()
            output.images = host.takeArtifacts().map { BlockOutput.Image(path: Self.relative($0.path, to: directory), alt: $0.title.isEmpty ? "plot" : $0.title) }
            output.duration = Date().timeIntervalSince(start)
            let status = output.error == nil ? "ok" : "FAILED"
            FileHandle.standardError.write(Data(String(format: "block %d (line %d): %@ in %.1f s\n", block.index + 1, block.firstLine, status, output.duration ?? 0).utf8))
            return output
        }
        host.closeOpenRuns(status: result.failedBlock == nil ? .completed : .failed("the notebook stopped at a failing block"))
        if check {
            if result.updated != text { throw ValidationError("\(file): outputs differ from the notebook's") }
        } else if result.updated != text {
            try Data(result.updated.utf8).write(to: url, options: .atomic)
        }
        if let failed = result.failedBlock {
            FileHandle.standardError.write(Data("error: \(file): block \(failed + 1) failed: \(result.outputs.last?.error ?? "")\n".utf8))
            throw ExitCode.failure
        }
        FileHandle.standardError.write(Data("\(file): \(result.outputs.count) blocks run\n".utf8))
    }

    /// `path` relative to `directory` when it lies below it (plots next to the notebook).
    static func relative(_ path: String, to directory: String) -> String {
        let base = PathPolicy.absolute(directory)
        let p = PathPolicy.absolute(path)
        return p.hasPrefix(base + "/") ? String(p.dropFirst(base.count + 1)) : p
    }
}

/// Collects `print` output of a block.
final class PrintBuffer: @unchecked Sendable {
    private var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
    @discardableResult
    func take() -> String {
        defer { lines.removeAll() }
        return lines.joined(separator: "\n")
    }
}
