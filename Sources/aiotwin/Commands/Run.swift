import ArgumentParser
import Foundation
import Scripting
import Storage
import Workbench

/// `aiotwin run`: executes a Lua experiment script and records it in a run file.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua experiment script, recording it in an HDF5 run file.",
        discussion: """
            The script sees the aiotwin.* API (docs/lua-api.md). Its default run file is
            OUT/<script>-<date>.h5 (or OUT/NAME.h5 with --name): aiotwin.log(table, row) appends
            to it, and its status says completed or failed. The same seed gives the same metrics.
            Example: aiotwin run scripts/centralised.lua --set lr=0.05 --seed 2
            """)

    @Argument(help: "The Lua script (with --resume: taken from the run file when omitted).")
    var script: String?

    @Option(help: ArgumentHelp("Continue the federated run recorded in this run file from its latest checkpoint, with its script, seed and parameters; writes a new run file (NAME-resumed.h5).", valueName: "run.h5"))
    var resume: String?

    @OptionGroup var options: ScriptOptions

    @Option(help: "Name of the run file (OUT/NAME.h5); refuses to overwrite an existing one.")
    var name: String?

    @Flag(help: "Print the Lua traceback on errors.")
    var traceback = false

    func validate() throws {
        if script == nil && resume == nil { throw ValidationError("give a script (or --resume RUN.h5)") }
    }

    func run() throws {
        var options = self.options
        var script = self.script ?? ""
        var source = ""
        var chosenName = name
        if let resume {
            // The original run's script, seed and parameters, unless given again.
            let old = try RunFile.open(path: resume)
            let metadata = try old.metadata
            let config = (try old.configurationJSON).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
            try old.close()
            if self.script == nil {
                source = metadata.script
                script = config["script"] as? String ?? "resumed.lua"
            }
            if options.settings.isEmpty, let params = config["params"] as? [String: String] {
                options.settings = params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            }
            options.seed = UInt64(bitPattern: metadata.seed)
            chosenName = chosenName ?? (metadata.extra["name"] ?? URL(fileURLWithPath: resume).deletingPathExtension().lastPathComponent) + "-resumed"
        }
        if source.isEmpty {
            guard let text = try? String(contentsOfFile: script, encoding: .utf8) else {
                throw ValidationError("cannot read the script '\(script)'")
            }
            source = text
        }
        let scriptDirectory = URL(fileURLWithPath: script).deletingLastPathComponent().path
        let host = try ScriptHost(configuration: options.configuration(scriptDirectory: scriptDirectory, source: source))
        host.resumeSource = resume.map { PathPolicy.absolute($0) }
        let stem = URL(fileURLWithPath: script).deletingPathExtension().lastPathComponent
        let explicitName = chosenName != nil
        let runName = chosenName ?? "\(stem)-\(Self.timestamp())"
        let out = host.configuration.outputDirectory
        var path = "\(out)/\(runName).h5"
        if !explicitName || resume != nil {
            var n = 2
            while FileManager.default.fileExists(atPath: path) { path = "\(out)/\(runName)-\(n).h5"; n += 1 }
        }
        var config: [String: Any] = ["script": script, "seed": options.seed, "threads": options.threads,
                                     "params": Dictionary(uniqueKeysWithValues: options.settings.map { s -> (String, String) in
                                         let p = s.split(separator: "=", maxSplits: 1).map(String.init)
                                         return (p[0], p.count > 1 ? p[1] : "")
                                     })]
        if let resume { config["resumed_from"] = resume }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]), as: UTF8.self)
        let recorder = try host.attachDefaultRun(name: runName, path: path, configurationJSON: json)
        do {
            _ = try host.run(source: source, chunkName: script)
        } catch {
            let message = "\(error)"
            try? recorder.finish(.failed(message))
            host.closeOpenRuns(status: .failed("the script stopped: \(message)"))
            reportScriptError(error, traceback: traceback)
            FileHandle.standardError.write(Data("run file \(recorder.file.path) marked failed\n".utf8))
            throw ExitCode.failure
        }
        try recorder.finish(.completed)
        host.closeOpenRuns(status: .completed)
        try printSummary(path: recorder.file.path)
    }

    private func printSummary(path: String) throws {
        print("run file: \(path) (completed)")
        for table in try RunRecorder.summary(of: path) {
            let last = table.last.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            print("  \(table.table): \(table.rows) rows" + (last.isEmpty ? "" : "; last: \(last)"))
        }
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd-HHmmss"
        return f.string(from: Date())
    }
}
