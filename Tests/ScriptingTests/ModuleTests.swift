import Testing
@testable import Scripting

@Suite("Modules")
struct ModuleTests {
    final class Resolver {
        var calls: [String] = []
        let modules = [
            "util": "local M = {} function M.double(x) return 2 * x end return M",
            "strategies.greedy": "local util = require('util')\nreturn { pick = function(x) return util.double(x) end }",
            "broken": "local x = 1\nerror('broken at load')",
            "syntax": "return = 1",
            "cycle_a": "return require('cycle_b')",
            "cycle_b": "return require('cycle_a')",
            "noreturn": "x_loaded = (x_loaded or 0) + 1",
        ]

        func resolve(_ name: String) -> LuaModuleSource? {
            calls.append(name)
            return modules[name].map { LuaModuleSource(source: $0, chunkName: name.split(separator: ".").joined(separator: "/") + ".lua") }
        }
    }

    func state(_ resolver: Resolver) throws -> LuaState {
        try smallState(sandbox: LuaSandbox(print: { _ in }, moduleResolver: { resolver.resolve($0) }))
    }

    @Test("require loads through the resolver once and caches")
    func caching() throws {
        let resolver = Resolver()
        let lua = try state(resolver)
        #expect(try lua.run(source: "local g = require('strategies.greedy') return g.pick(21), require('strategies.greedy') == g") == [42, true])
        #expect(try lua.run(source: "return require('util').double(4), select(2, require('noreturn')), require('noreturn'), x_loaded") == [8, "noreturn.lua", true, 1])
        #expect(resolver.calls == ["strategies.greedy", "util", "noreturn"])
    }

    @Test("Module errors keep the module's file:line")
    func errors() throws {
        let resolver = Resolver()
        let lua = try state(resolver)
        #expect(luaError { try lua.run(source: "require('broken')", chunkName: "main.lua") }?.message == "broken.lua:2: broken at load")
        // A failed module is retried after the failing call, not cached.
        #expect(luaError { try lua.run(source: "require('broken')", chunkName: "main.lua") }?.message == "broken.lua:2: broken at load")
        #expect(luaError { try lua.run(source: "require('syntax')", chunkName: "main.lua") }?.kind == .runtime)
        #expect(luaError { try lua.run(source: "require('syntax')", chunkName: "main.lua") }?.message.hasPrefix("syntax.lua:1:") == true)
        #expect(luaError { try lua.run(source: "require('cycle_a')", chunkName: "main.lua") }?.message
                == "cycle_b.lua:1: module 'cycle_a' is being loaded (cyclic require) or failed to load")
    }

    @Test("A throwing resolver is a host error at the require call")
    func throwingResolver() throws {
        let lua = try smallState(sandbox: LuaSandbox(print: { _ in }, moduleResolver: { _ in throw TrainingFailed(reason: "disk") }))
        let error = try #require(luaError { try lua.run(source: "local x\nrequire('m')", chunkName: "main.lua") })
        #expect(error.kind == .hostError)
        #expect(error.message == "main.lua:2: host error: training failed: disk")
    }

    @Test("The directory resolver reads files in Swift and rejects path tricks")
    func directory() throws {
        let resolve = LuaModuleSource.resolver(directory: "/nonexistent-root")
        #expect(try resolve("a.b") == nil)
        #expect(try resolve("../etc/passwd") == nil)
        #expect(try resolve("a/b") == nil)
        #expect(try resolve("") == nil)
        let dict = LuaModuleSource.resolver(modules: ["m": "return 1"])
        #expect(try dict("m") == LuaModuleSource(source: "return 1", chunkName: "m.lua"))
    }
}
