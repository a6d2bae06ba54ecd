import Foundation
import Scripting

/// The Lua plugins found on the plugin path: strategies, predictors and balancers.
///
/// A plugin is a plain Lua module returning a table with `kind`, `name`, `version`, optional
/// `description` and `params` (defaults), and its functions. It lives in `<dir>/<kind>s/<name>.lua`
/// or directly in `<dir>/<name>.lua`. The first directory on the path that has a name wins.
public struct PluginCatalog: Sendable {
    /// The kinds of plugins.
    public static let kinds = ["strategy", "predictor", "balancer"]

    /// One plugin file.
    public struct Entry: Sendable, Equatable {
        /// The file name without `.lua`.
        public let name: String
        /// The file.
        public let path: String
    }

    /// The directories searched, in order.
    public let directories: [String]
    /// Plugins by name (the first found wins).
    public let entries: [Entry]

    /// Scans `directories`.
    public init(directories: [String]) {
        self.directories = directories
        var seen = Set<String>(), found: [Entry] = []
        let fm = FileManager.default
        for dir in directories {
            for sub in [""] + Self.kinds.map { $0 == "strategy" ? "strategies/" : "\($0)s/" } {
                let folder = dir + "/" + sub
                guard let files = try? fm.contentsOfDirectory(atPath: folder) else { continue }
                for f in files.sorted() where f.hasSuffix(".lua") {
                    let name = String(f.dropLast(4))
                    if seen.insert(name).inserted { found.append(Entry(name: name, path: folder + f)) }
                }
            }
        }
        entries = found
    }

    /// `--plugins` directories first, then `AIOTWIN_PLUGIN_PATH`, `./Plugins`, and the
    /// project's `Plugins/` found above the executable.
    public static func defaultDirectories(extra: [String] = []) -> [String] {
        var dirs = extra
        if let path = ProcessInfo.processInfo.environment["AIOTWIN_PLUGIN_PATH"] {
            dirs += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        dirs.append(FileManager.default.currentDirectoryPath + "/Plugins")
        if let builtIn = builtInDirectory(), !dirs.contains(builtIn) { dirs.append(builtIn) }
        return dirs
    }

    /// The `Plugins/` folder of the aiotwin checkout the running binary was built in.
    public static func builtInDirectory() -> String? {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("Plugins")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("strategies").path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// The entry named `name`, or an error listing the available plugins.
    public func entry(named name: String) throws -> Entry {
        if let e = entries.first(where: { $0.name == name }) { return e }
        let available = entries.map(\.name)
        throw WorkbenchError.unknownPlugin("unknown plugin '\(name)' (available: \(available.isEmpty ? "none on the plugin path \(directories.joined(separator: ":"))" : available.joined(separator: ", ")))")
    }

    /// Source of a plugin for `require(name)`; `nil` when no plugin has that name.
    public func moduleSource(named name: String) throws -> LuaModuleSource? {
        guard let e = entries.first(where: { $0.name == name }) else { return nil }
        return LuaModuleSource(source: try String(contentsOfFile: e.path, encoding: .utf8), chunkName: e.path)
    }

    /// A plugin's declaration, read by running it in a fresh, tightly limited state.
    public struct Description: Sendable {
        /// Name, kind, version and description as declared.
        public let name: String, kind: String, version: String, summary: String
        /// Parameters with their defaults, rendered as Lua values, sorted by name.
        public let parameters: [(name: String, value: String)]
        /// The functions the plugin defines.
        public let functions: [String]
        /// The file.
        public let path: String
    }

    /// Loads and checks the declaration of `name`.
    public func describe(_ name: String) throws -> Description {
        let e = try entry(named: name)
        let lua = try LuaState(limits: LuaLimits(memoryBytes: 64 << 20, instructions: 50_000_000),
                               sandbox: LuaSandbox(print: { _ in }, moduleResolver: { try moduleSource(named: $0) }))
        let result = try lua.run(file: e.path, chunkName: e.path)
        guard let t = result.first?.tableValue else {
            throw WorkbenchError.scriptFailed("\(e.path): a plugin must return a table (got \(result.first?.typeName ?? "nothing"))")
        }
        return try Self.check(t, path: e.path, fileName: name)
    }

    /// Validates a plugin table's declaration.
    static func check(_ t: LuaTable, path: String, fileName: String) throws -> Description {
        func field(_ key: String) throws -> String {
            guard let s = t[key].stringValue, !s.isEmpty else {
                throw WorkbenchError.scriptFailed("\(path): the plugin table needs a string field '\(key)'")
            }
            return s
        }
        let kind = try field("kind"), name = try field("name"), version = try field("version")
        guard kinds.contains(kind) else {
            throw WorkbenchError.scriptFailed("\(path): kind '\(kind)' is not one of \(kinds.joined(separator: ", "))")
        }
        guard name == fileName else {
            throw WorkbenchError.scriptFailed("\(path): the plugin declares name '\(name)' but its file is \(fileName).lua")
        }
        var params: [(String, String)] = []
        if case let .table(p) = t["params"] {
            for (k, v) in p.hash { params.append((k.stringValue ?? k.description, v.description)) }
        } else if !t["params"].isNil {
            throw WorkbenchError.scriptFailed("\(path): 'params' must be a table of defaults")
        }
        let functions = t.hash.compactMap { k, v -> String? in
            if case .function = v { return k.stringValue } else { return nil }
        }.sorted()
        return Description(name: name, kind: kind, version: version, summary: t["description"].stringValue ?? "",
                           parameters: params.sorted { $0.0 < $1.0 }, functions: functions, path: path)
    }
}
