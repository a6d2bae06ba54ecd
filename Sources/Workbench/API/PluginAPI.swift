import Scripting

// aiotwin.plugin(name, params) and aiotwin.plugins.list().

extension ScriptHost {
    func registerPluginAPI() {
        lua.register(module: "aiotwin", functions: [
            "plugin": { [unowned self] args in
                let name = try args.string(at: 1)
                let entry = try plugins.entry(named: name)
                guard let source = try plugins.moduleSource(named: entry.name) else { return [.nil] }
                let result = try lua.run(source: source.source, chunkName: source.chunkName)
                guard case var .table(t) = result.first ?? .nil else {
                    throw WorkbenchError.scriptFailed("\(entry.path): a plugin must return a table")
                }
                _ = try PluginCatalog.check(t, path: entry.path, fileName: entry.name)
                // Parameters: the declared defaults, overridden by the caller's (known keys only).
                var params = t["params"].tableValue ?? LuaTable()
                if !args.isNil(at: 2) {
                    for (k, v) in try args.table(at: 2).hash {
                        guard !params[k].isNil else {
                            let known = params.hash.keys.compactMap(\.stringValue).sorted()
                            throw WorkbenchError.invalidInput("plugin '\(name)' has no parameter '\(k.stringValue ?? k.description)' (parameters: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
                        }
                        params[k] = v
                    }
                }
                t["params"] = .table(params)
                return [.table(t)]
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
