import Scripting

// aiotwin.plugin(name, params) and aiotwin.plugins.list().

extension ScriptHost {
    /// Loads plugin `name` into this state: its table, with `params` = the declared defaults
    /// overridden by `parameters` (known names only).
    public func loadPlugin(_ name: String, parameters: LuaTable? = nil) throws -> LuaTable {
        let entry = try plugins.entry(named: name)
        guard let source = try plugins.moduleSource(named: entry.name) else { throw WorkbenchError.unknownPlugin("unknown plugin '\(name)'") }
        let result = try lua.run(source: source.source, chunkName: source.chunkName)
        guard case var .table(t) = result.first ?? .nil else {
            throw WorkbenchError.scriptFailed("\(entry.path): a plugin must return a table")
        }
        _ = try PluginCatalog.check(t, path: entry.path, fileName: entry.name)
        var params = t["params"].tableValue ?? LuaTable()
        for (k, v) in parameters?.hash ?? [:] {
            guard !params[k].isNil else {
                let known = params.hash.keys.compactMap(\.stringValue).sorted()
                throw WorkbenchError.invalidInput("plugin '\(name)' has no parameter '\(k.stringValue ?? k.description)' (parameters: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            params[k] = v
        }
        t["params"] = .table(params)
        return t
    }

    /// A Lua value for a seeded generator handle.
    func randomValue(_ handle: RandomHandle) -> LuaValue { .userdata(LuaHandle(handle, type: types.random)) }

    func registerPluginAPI() {
        lua.register(module: "aiotwin", functions: [
            "plugin": { [unowned self] args in
                [.table(try loadPlugin(try args.string(at: 1), parameters: args.isNil(at: 2) ? nil : try args.table(at: 2)))]
            },
            "plugins.list": { [unowned self] _ in
                [LuaValue(plugins.entries.map { e in
                    let d = try? plugins.describe(e.name)
                    return LuaValue(["name": .string(e.name), "path": .string(e.path), "kind": d.map { .string($0.kind) } ?? .nil,
                                     "version": d.map { .string($0.version) } ?? .nil])
                })]
            },
        ])
    }
}
