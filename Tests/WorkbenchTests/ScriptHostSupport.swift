import Foundation
import Scripting
@testable import Workbench

/// A host in a fresh temporary directory (its output directory and the only allowed root).
struct TestHost {
    let dir: String
    let host: ScriptHost
    var printed: [String] { output.lines }
    private let output = Lines()

    final class Lines: @unchecked Sendable { var lines: [String] = [] }

    init(seed: UInt64 = 1, parameters: [String: String] = [:], pluginDirectories: [String]? = nil) throws {
        dir = NSTemporaryDirectory() + "aiotwin-wb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var c = ScriptHost.Configuration()
        c.seed = seed
        c.parameters = parameters
        c.outputDirectory = dir + "/runs"
        c.policy = PathPolicy(roots: [dir])
        c.threads = 2
        if let pluginDirectories { c.pluginDirectories = pluginDirectories }
        let lines = output
        c.print = { lines.lines.append($0) }
        host = try ScriptHost(configuration: c)
    }

    @discardableResult
    func run(_ source: String) throws -> [LuaValue] { try host.run(source: source, chunkName: "test.lua") }

    /// The error message a script fails with (empty if it does not fail).
    func failure(_ source: String) -> String {
        do { _ = try run(source); return "" } catch { return "\(error)" }
    }
}
