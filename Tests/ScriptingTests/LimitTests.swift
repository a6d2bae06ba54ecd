import Testing
@testable import Scripting

@Suite("Limits")
struct LimitTests {
    @Test("Runaway loops stop with instructionLimit and the state stays usable", arguments: [
        "while true do end",
        "while true do pcall(function() while true do end end) end",
        "while true do pcall(error, 'x') end",
        "local co = coroutine.wrap(function() while true do end end) co()",
        "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
        "local function f() return f() end return f()",
    ])
    func instructionLimit(source: String) throws {
        let lua = try smallState(instructions: 2_000_000)
        let error = try #require(luaError { try lua.run(source: source, chunkName: "loop.lua") })
        #expect(error.kind == .instructionLimit)
        #expect(error.message.hasPrefix("loop.lua:1: "))  // coroutine.wrap adds its own position
        #expect(error.message.hasSuffix("instruction limit exceeded (2000000)"))
        #expect(error.traceback.contains("stack traceback:"))
        #expect(try lua.run(source: "local s = 0 for i = 1, 1000 do s = s + i end return s") == [500500])
    }

    @Test("The budget is per call")
    func budgetPerCall() throws {
        let lua = try smallState(instructions: 1_000_000)
        let f = try #require(try lua.run(source: "return function() local s = 0 for i = 1, 100000 do s = s + i end return s end").first?.functionValue)
        for _ in 0..<20 { #expect(try f.call() == [5000050000]) }
        lua.limits.instructions = 0  // unlimited
        #expect(try lua.run(source: "local s = 0 for i = 1, 1000000 do s = s + 1 end return s") == [1000000])
    }

    @Test("Memory bombs stop with a memory error and the state stays usable", arguments: [
        "local s = 'x' while true do s = s .. s end",
        "local t = {} while true do t[#t + 1] = string.rep('x', 1 << 20) end",
        "local t = {} local i = 0 while true do i = i + 1 t[i] = i end",
        "local t = {} while true do t[#t + 1] = {} end",
        "return string.rep('x', 1 << 40)",
        "while true do pcall(string.rep, 'x', 1 << 40) end",
        "while true do pcall(function() local t = {} while true do t[#t + 1] = {} end end) end",
    ])
    func memoryCap(source: String) throws {
        let lua = try smallState(memory: 8 << 20, instructions: 10_000_000)  // the budget only guards against a hang
        let error = try #require(luaError { try lua.run(source: source, chunkName: "bomb.lua") })
        #expect(error.kind == .memory)
        #expect(error.message.hasPrefix("bomb.lua"))
        #expect(error.message.hasSuffix("not enough memory (limit 8388608 bytes)"))
        #expect(lua.peakMemoryUsed <= (8 << 20) + (1 << 20))
        lua.collectGarbage()
        #expect(lua.memoryUsed < 1 << 20)
        #expect(try lua.run(source: "local t = {} for i = 1, 1000 do t[i] = i end return #t") == [1000])
    }

    @Test("Garbage does not count against the cap")
    func garbage() throws {
        let lua = try smallState(memory: 4 << 20, instructions: 0)
        let r = try lua.run(source: "local n = 0 for i = 1, 200 do local t = {} for j = 1, 1000 do t[j] = j end n = n + #t end return n")
        #expect(r == [200_000])
    }

    @Test("Host-side pushes are not capped")
    func hostPushes() throws {
        let lua = try smallState(memory: 1 << 20, instructions: 0)
        lua.register(global: "big") { _ in [.string(String(repeating: "x", count: 2 << 20))] }
        #expect(try lua.run(source: "return #big()") == [.integer(2 << 20)])
    }
}
