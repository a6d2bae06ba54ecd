import Foundation
import Learning
import Scripting
import Storage

/// A Lua state with the `aiotwin.*` API: what `aiotwin run`, notebooks and plugins execute in.
///
/// Not thread-safe: use one host from one thread (Lua states are single-threaded); training
/// inside a host call uses every configured thread.
public final class ScriptHost {
    /// How a host is set up.
    public struct Configuration {
        /// Default seed of every random choice (`aiotwin.seed`).
        public var seed: UInt64 = 1
        /// `--set key=value` pairs, visible as `aiotwin.params` (numbers and booleans converted).
        public var parameters: [String: String] = [:]
        /// Where run files and plots go by default (`aiotwin.out_dir`).
        public var outputDirectory = "runs"
        /// Files the script may touch.
        public var policy = PathPolicy(roots: ["."])
        /// Where plugins are looked up, in order.
        public var pluginDirectories: [String] = PluginCatalog.defaultDirectories()
        /// Where `require(name)` looks for Lua modules that are not plugins (the script's folder,
        /// the project's `scripts/`), in order.
        public var moduleDirectories: [String] = [FileManager.default.currentDirectoryPath + "/scripts"]
            + (PluginCatalog.builtInDirectory().map { [URL(fileURLWithPath: $0).deletingLastPathComponent().path + "/scripts"] } ?? [])
        /// Instruction budget and memory cap per top-level call.
        public var limits = LuaLimits(memoryBytes: 512 << 20, instructions: 2_000_000_000)
        /// Training threads (`aiotwin.threads`).
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Where `print` goes.
        public var print: (String) -> Void = { Swift.print($0) }
        /// The command line, recorded in run files.
        public var commandLine = CommandLine.arguments.joined(separator: " ")
        /// The script's source, recorded in run files.
        public var scriptSource = ""

        /// Default configuration.
        public init() {}
    }

    /// The configuration in force.
    public let configuration: Configuration
    /// The Lua state.
    public let lua: LuaState
    /// Plugins found on the plugin path.
    public let plugins: PluginCatalog
    /// Files (plots) written by the script, with their titles, in order; notebooks show them.
    public private(set) var artifacts: [(path: String, title: String)] = []
    /// A run file whose latest checkpoint `aiotwin.fl.run` continues from (`aiotwin run --resume`).
    public var resumeSource: String?
    /// Runs created by the script and not yet finished.
    private(set) var openRuns: [RunRecorder] = []
    var types: HandleTypes!
    private var trainers: [String: Trainer] = [:]

    /// Creates the state and registers the API.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        self.plugins = PluginCatalog(directories: configuration.pluginDirectories)
        var sandbox = LuaSandbox(print: configuration.print)
        let catalog = plugins
        let modules = configuration.moduleDirectories.map { LuaModuleSource.resolver(directory: $0) }
        sandbox.moduleResolver = { name in
            if let plugin = try catalog.moduleSource(named: name) { return plugin }
            for resolve in modules { if let m = try resolve(name) { return m } }
            return nil
        }
        lua = try LuaState(limits: configuration.limits, sandbox: sandbox)
        types = HandleTypes(dataset: registerDatasetType(), model: registerModelType(), partition: registerPartitionType(),
                            indices: registerIndicesType(), run: registerRunType(), random: registerRandomType())
        registerDataAPI()
        registerModelAPI()
        registerRunAPI()
        registerPlotAPI()
        registerPluginAPI()
        registerRandomAPI()
        registerFederationAPI()
        registerRoutingAPI()
        try setGlobals()
        try installSandboxMessages()
    }

    /// Names a script may reach for out of habit answer with an explanation, not "nil value".
    private func installSandboxMessages() throws {
        _ = try lua.run(source: """
            local blocked = { io = "files are read and written through aiotwin.* (data, runs, plots)",
                              debug = "it is not part of aiotwin's sandbox", package = "use require(name) for plugins and modules",
                              dofile = "use require(name)", loadfile = "use require(name)" }
            setmetatable(_G, { __index = function(_, k)
              local why = blocked[k]
              if why then error(k .. " is not available in aiotwin scripts: " .. why, 2) end
            end })
            setmetatable(os, { __index = function(_, k)
              error("os." .. tostring(k) .. " is not available in aiotwin scripts (only os.time, os.clock, os.date, os.difftime)", 2)
            end })
            """, chunkName: "=sandbox")
    }

    private func setGlobals() throws {
        var params = LuaTable()
        for (k, v) in configuration.parameters { params[k] = Self.parameterValue(v) }
        let set = try lua.load(source: """
            local version, seed, params, out_dir, threads = ...
            aiotwin.version, aiotwin.seed, aiotwin.params, aiotwin.out_dir, aiotwin.threads = version, seed, params, out_dir, threads
            """, chunkName: "=aiotwin")
        _ = try set.call([.string(WorkbenchInfo.version), .integer(Int64(bitPattern: configuration.seed)), .table(params),
                          .string(configuration.outputDirectory), .integer(Int64(configuration.threads))])
    }

    /// `"3"` → 3, `"0.5"` → 0.5, `"true"` → true, anything else stays a string.
    static func parameterValue(_ text: String) -> LuaValue {
        if let i = Int64(text) { return .integer(i) }
        if let d = Double(text), d.isFinite { return .number(d) }
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        return .string(text)
    }

    /// Runs a script file; its chunk name is the path as given, so errors read `path:line:`.
    public func run(file path: String) throws -> [LuaValue] {
        let source: String
        do { source = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw WorkbenchError.invalidInput("\(path): cannot read the script (\(error.localizedDescription))")
        }
        return try run(source: source, chunkName: path)
    }

    /// Runs Lua source.
    public func run(source: String, chunkName: String) throws -> [LuaValue] {
        try lua.run(source: source, chunkName: chunkName)
    }

    /// Marks every run the script left open as failed (the script stopped early) or completed.
    public func closeOpenRuns(status: RunStatus) {
        for run in openRuns where !run.isFinished { try? run.finish(status) }
        openRuns.removeAll()
    }

    /// A trainer for `architecture`, reused across calls so buffers are allocated once.
    func trainer(for architecture: ResolvedModel) -> Trainer {
        let key = (try? String(decoding: JSONEncoder().encode(architecture.spec), as: UTF8.self)) ?? architecture.spec.name
        if let t = trainers[key] { return t }
        let t = Trainer(architecture: architecture, threads: configuration.threads)
        trainers[key] = t
        return t
    }

    /// Creates a run file in the output directory (or at an explicit path) and tracks it.
    func createRun(name: String, path explicitPath: String?, configurationJSON: String?, overwrite: Bool) throws -> RunRecorder {
        let path = try configuration.policy.check(explicitPath ?? "\(configuration.outputDirectory)/\(name).h5", for: "run file")
        let recorder = try RunRecorder(path: path, name: name, metadata: RunMetadata(
            aiotwinVersion: WorkbenchInfo.version, seed: Int64(bitPattern: configuration.seed),
            command: configuration.commandLine, script: configuration.scriptSource), configurationJSON: configurationJSON,
            overwrite: overwrite)
        openRuns.append(recorder)
        return recorder
    }

    /// Records a written artifact (a plot) for notebooks.
    func addArtifact(path: String, title: String) { artifacts.append((path, title)) }

    /// Forgets the artifacts collected so far (a notebook calls it before each block).
    public func takeArtifacts() -> [(path: String, title: String)] {
        defer { artifacts.removeAll() }
        return artifacts
    }
}

/// Version information shared by the workbench and the command line.
public enum WorkbenchInfo {
    /// aiotwin's version.
    public static let version = "0.1.0"
}
