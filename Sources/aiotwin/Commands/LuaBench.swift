import ArgumentParser
import Foundation
import Scripting
import Workbench

/// `aiotwin bench lua`: the cost of calling Lua from Swift in the full sandbox.
struct LuaBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lua",
        abstract: "Nanoseconds per Swift→Lua call in the full sandbox, and per plugin call in hot paths.")

    @Option(help: "Calls per measurement.")
    var iterations = 1_000_000

    @Option(help: "Repetitions (the best is reported).")
    var repetitions = 3

    @Flag(help: "Print rows {name, nanosecondsPerCall} as JSON.")
    var json = false

    func validate() throws {
        guard iterations >= 1, repetitions >= 1 else { throw ValidationError("--iterations and --repetitions must be positive") }
    }

    func run() throws {
        let host = try ScriptHost(configuration: ScriptHost.Configuration())
        let rows = try LuaBenchmark.run(iterations: iterations, repetitions: repetitions)
            + PluginBenchmark.run(host: host, iterations: iterations, repetitions: repetitions)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        let width = rows.map(\.name.count).max() ?? 10
        for row in rows {
            print(row.name.padding(toLength: width, withPad: " ", startingAt: 0), String(format: "%8.1f ns/call", row.nanosecondsPerCall))
        }
    }
}
