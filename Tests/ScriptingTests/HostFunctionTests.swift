import Testing
@testable import Scripting

@Suite("Host functions")
struct HostFunctionTests {
    func state() throws -> LuaState {
        let lua = try smallState()
        lua.register(module: "aiotwin", functions: [
            "train": { args in
                let name = try args.string(at: 1)
                let epochs = try args.integer(at: 2)
                let lr = try args.number(at: 3, default: 0.1)
                return [.string("\(name):\(epochs):\(lr)")]
            },
            "fail": { _ in throw TrainingFailed(reason: "diverged") },
            "data.fashion_mnist": { _ in [.integer(60_000), .integer(10_000)] },
            "data.sum": { args in [.number(try args.numbers(at: 1).reduce(0, +))] },
            "echo": { args in try args.values() },
        ])
        return lua
    }

    @Test("Functions and nested tables are callable; require finds the module")
    func calls() throws {
        let lua = try state()
        #expect(try lua.run(source: "return aiotwin.train('cnn', 3)") == ["cnn:3:0.1"])
        #expect(try lua.run(source: "return aiotwin.data.fashion_mnist()") == [60_000, 10_000])
        #expect(try lua.run(source: "return aiotwin.data.sum({1, 2, 3.5})") == [6.5])
        #expect(try lua.run(source: "return require('aiotwin') == aiotwin") == [true])
        #expect(try lua.run(source: "return aiotwin.echo(1, 'two', nil, {3})") == [1, "two", .nil, [3]])
    }

    @Test("Argument errors name the function, the argument and the caller's line", arguments: [
        ("aiotwin.train('cnn', 'x')", "args.lua:2: bad argument #2 to 'aiotwin.train' (number expected, got string)"),
        ("aiotwin.train(1, 2)", "args.lua:2: bad argument #1 to 'aiotwin.train' (string expected, got number)"),
        ("aiotwin.train('cnn')", "args.lua:2: bad argument #2 to 'aiotwin.train' (number expected, got no value)"),
        ("aiotwin.train('cnn', 2.5)", "args.lua:2: bad argument #2 to 'aiotwin.train' (number has no integer representation)"),
        ("aiotwin.data.sum({1, 'x'})", "args.lua:2: bad argument #1 to 'aiotwin.data.sum' (number expected at index 2, got string)"),
    ])
    func argumentErrors(call: String, message: String) throws {
        let lua = try state()
        let error = try #require(luaError { try lua.run(source: "local x = 1\n\(call)\n", chunkName: "args.lua") })
        #expect(error.kind == .runtime)
        #expect(error.message == message)
    }

    @Test("Swift errors are catchable in Lua and surface with the script's position")
    func swiftErrors() throws {
        let lua = try state()
        let caught = try lua.run(source: "local ok, e = pcall(aiotwin.fail) return ok, e", chunkName: "h.lua")
        #expect(caught == [false, "host error: training failed: diverged"])
        let error = try #require(luaError { try lua.run(source: "local a = 1\naiotwin.fail()\n", chunkName: "h.lua") })
        #expect(error.kind == .hostError)
        #expect(error.message == "h.lua:2: host error: training failed: diverged")
        #expect((error.underlying as? TrainingFailed)?.reason == "diverged")
        #expect(error.traceback.contains("h.lua:2: in main chunk"))
    }

    @Test("Host functions can call back into Lua, also from coroutines")
    func reentrancy() throws {
        let lua = try smallState()
        lua.register(global: "apply") { args in
            let f = try args.function(at: 1)
            return try f.call([args.value(at: 2)])
        }
        let r = try lua.run(source: """
            local co = coroutine.wrap(function(x)
                local y = coroutine.yield(apply(function(v) return v * 2 end, x))
                return apply(function(v) return v + 1 end, y)
            end)
            return co(5), co(10)
            """)
        #expect(r == [10, 11])
        // A Lua error inside the callback is a host error in the outer script.
        let error = try #require(luaError { try lua.run(source: "apply(function() error('inner') end)", chunkName: "o.lua") })
        #expect(error.kind == .hostError)
        #expect(error.message == "o.lua:1: host error: o.lua:1: inner")
    }

    @Test("The instruction budget is shared with nested calls")
    func nestedBudget() throws {
        let lua = try smallState(instructions: 2_000_000)
        lua.register(global: "apply") { args in try args.function(at: 1).call() }
        let error = try #require(luaError { try lua.run(source: "while true do pcall(apply, function() while true do end end) end", chunkName: "n.lua") })
        #expect(error.kind == .instructionLimit)
        #expect(try lua.run(source: "return apply(function() return 7 end)") == [7])
    }
}
