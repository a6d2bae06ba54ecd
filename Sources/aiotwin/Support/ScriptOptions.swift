import ArgumentParser
import Foundation
import Scripting
import Workbench

/// Options shared by commands that execute Lua (run, notebook).
struct ScriptOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Directory for run files and plots (default: runs; for a notebook, NOTEBOOK.files next to it).", valueName: "dir"))
    var out: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("A script parameter, visible as aiotwin.params.KEY (repeatable).", valueName: "key=value"))
    var settings: [String] = []

    @Option(help: "Default seed of every random choice (aiotwin.seed).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Another plugin directory, searched first (repeatable; also AIOTWIN_PLUGIN_PATH).", valueName: "dir"))
    var plugins: [String] = []

    @Option(help: ArgumentHelp("Another directory the script may read and write (repeatable).", valueName: "dir"))
    var allow: [String] = []

    @Option(help: "Training threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Lua memory cap in MiB.")
    var maxMemory = 512

    @Option(help: "Lua instruction budget per top-level call (0: unlimited).")
    var maxInstructions = 2_000_000_000

    func validate() throws {
        for s in settings where !s.contains("=") || s.hasPrefix("=") {
            throw ValidationError("--set '\(s)' is not of the form key=value")
        }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256") }
        guard maxMemory >= 16 else { throw ValidationError("--max-memory must be at least 16 (MiB)") }
        guard maxInstructions >= 0 else { throw ValidationError("--max-instructions must be non-negative") }
    }

    /// The host configuration; `scriptDirectory` is also readable by the script.
    func configuration(scriptDirectory: String, source: String, defaultOut: String = "runs",
                       print: @escaping (String) -> Void = { Swift.print($0) }) -> ScriptHost.Configuration {
        let out = self.out ?? defaultOut
        var c = ScriptHost.Configuration()
        c.seed = seed
        for s in settings {
            let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
            c.parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        c.outputDirectory = out
        c.pluginDirectories = PluginCatalog.defaultDirectories(extra: plugins)
        c.moduleDirectories = [scriptDirectory.isEmpty ? "." : scriptDirectory] + c.moduleDirectories
        var policy = PathPolicy(roots: [".", scriptDirectory, out] + plugins + allow)
        for d in c.pluginDirectories { policy.allow(d) }
        c.policy = policy
        c.threads = threads
        c.limits = LuaLimits(memoryBytes: maxMemory << 20, instructions: maxInstructions)
        c.print = print
        c.scriptSource = source
        return c
    }
}

/// Prints a script failure: the `file:line: message` line, then the traceback when asked.
func reportScriptError(_ error: Error, traceback: Bool) {
    var text = "\(error)"
    if let lua = error as? LuaError, traceback, !lua.traceback.isEmpty { text += "\n" + lua.traceback }
    FileHandle.standardError.write(Data("error: \(text)\n".utf8))
}
