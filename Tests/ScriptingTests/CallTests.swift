import Testing
@testable import Scripting

@Suite("Typed calls")
struct CallTests {
    @Test("Typed fast paths return the right results")
    func typed() throws {
        let lua = try smallState()
        try lua.run(source: """
            function sum(...) local s = 0 for i = 1, select('#', ...) do s = s + select(i, ...) end return s end
            function describe(n, s, b, xs) return string.format('%d %s %s %d', n, s, tostring(b), #xs) end
            function pick(m, xs) return m:bias() + xs[#xs] end
            function count(n) return n * 2 end
            function truthy(x) return x end
            function nothing() end
            """)
        let sum = try lua.function(named: "sum")
        #expect(try sum.callNumbers([1, 2, 3, 4, 5, 6, 7, 8]) == 36)
        #expect(try [2.5, 0.5].withUnsafeBufferPointer { try sum.callNumbers($0) } == 3)
        #expect(try sum.callNumber { $0.push(1); $0.push(Float(2)); $0.push(0.5) } == 3.5)
        let xs: [Double] = [1, 2, 3]
        #expect(try lua.function(named: "describe").callString { args in
            args.push(7); args.push("x"); args.push(true)
            xs.withUnsafeBufferPointer { args.push(numbers: $0) }
        } == "7 x true 3")
        let modelType = lua.registerType(name: "Model", methods: ["bias": { _ in [0.5] }])
        let model = Model(name: "m")
        #expect(try lua.function(named: "pick").callNumber { args in
            try args.push(handle: model, type: modelType)
            xs.withUnsafeBufferPointer { args.push(numbers: $0) }
        } == 3.5)
        #expect(try lua.function(named: "count").callInteger { $0.push(21) } == 42)
        #expect(try lua.function(named: "truthy").callBoolean { $0.pushNil() } == false)
        #expect(try lua.function(named: "truthy").callValue { try $0.push(["a": 1]) } == ["a": 1])
        try lua.function(named: "nothing").invoke { _ in }
    }

    @Test("Typed calls report bad results, errors and limits")
    func typedErrors() throws {
        let lua = try smallState(instructions: 1_000_000)
        try lua.run(source: "function f(x)\n  return x\nend\nfunction g()\n  error('boom')\nend\nfunction spin() while true do end end", chunkName: "t.lua")
        #expect(luaError { try lua.function(named: "f").callNumber { $0.push("x") } }?.message
                == "bad result from function defined at t.lua:1 (number expected, got string)")
        #expect(luaError { try lua.function(named: "f").callInteger { $0.push(1.5) } }?.message
                == "bad result from function defined at t.lua:1 (integer expected, got number)")
        let error = try #require(luaError { try lua.function(named: "g").callNumbers([]) })
        #expect(error.message == "t.lua:5: boom")
        #expect(error.traceback.contains("in function 'g'"))
        #expect(luaError { try lua.function(named: "spin").callNumbers([]) }?.kind == .instructionLimit)
        #expect(try lua.function(named: "f").callNumbers([2]) == 2)
        #expect(luaError { try lua.function(named: "missing") }?.message == "'missing' is not a function (nil)")
        #expect(luaError { try lua.function(named: "missing.f") }?.message == "'missing.f' is not a function (no table before 'f')")
        try lua.run(source: "Class = {} Class.__index = Class function Class.new(x) return setmetatable({x = x}, Class) end")
        #expect(try lua.function(named: "Class.new").callValue { $0.push(3) }["x"] == 3)
    }

    @Test("Repeated typed calls keep the stack balanced")
    func balance() throws {
        let lua = try smallState()
        let before = lua.stackDepth
        let f = try lua.load(source: "local a, b = ... if a < 0 then error('neg') end return a + b")
        var total = 0.0
        for i in 0..<10_000 {
            total += try f.callNumbers([Double(i), 1])
            _ = luaError { try f.callNumbers([-1, 0]) }
            _ = luaError { try f.callNumber { _ in throw TrainingFailed(reason: "push") } }
        }
        #expect(total == 50_005_000)
        #expect(lua.stackDepth == before)
    }
}
