import Testing
@testable import Scripting

@Suite("Values")
struct ValueTests {
    /// Not `Sendable` (values may hold references), so tests index into it.
    static var samples: [LuaValue] {
        [
            .nil, true, false, 0, -7, .integer(.max), .integer(.min), 1.5, .number(2.0), -0.25, "", "héllo ✓",
            [1, 2, 3], ["a": 1, "b": [true, "x"]], [1, 2, ["nested": [[1], [2, [3]]]]],
            .table(LuaTable(array: [1, 2], hash: [5: "five", 2.5: "float key", "k": [:]])),
        ]
    }

    @Test("Values round-trip through Lua unchanged", arguments: 0..<16)
    func roundTrip(sample: Int) throws {
        let value = Self.samples[sample]
        let lua = try smallState()
        let identity = try lua.load(source: "return ...")
        let back = try identity.call([value])
        #expect(back == [value])
        // Integer/float subtypes survive (== treats 2 and 2.0 as equal, math.type does not).
        let types = try lua.load(source: "return math.type(...)")
        if case .number = value { #expect(try types.call([value]) == ["float"]) }
        if case .integer = value { #expect(try types.call([value]) == ["integer"]) }
    }

    @Test("Tables from Lua split into sequence and hash parts")
    func tableShape() throws {
        let lua = try smallState()
        let t = try #require(try lua.run(source: "return {10, 20, nil, 40, x = 1, [1.5] = 'f'}").first?.tableValue)
        #expect(t.array == [10, 20])
        #expect(t[4] == 40)
        #expect(t["x"] == 1)
        #expect(t[.number(1.5)] == "f")
        #expect(t.count == 5)
        #expect(t.description == "{10, 20, [1.5] = \"f\", [4] = 40, x = 1}")
    }

    @Test("LuaTable subscripts keep the sequence canonical")
    func tableEditing() {
        var t = LuaTable()
        t[2] = "b"
        #expect(t.array.isEmpty)
        t[1] = "a"
        #expect(t.array == ["a", "b"])
        #expect(t.hash.isEmpty)
        t[2] = nil
        #expect(t.array == ["a"])
        t[.number(2.0)] = "c"
        #expect(t.array == ["a", "c"])
        let literal: LuaValue = [1: "x", 2: "y", "k": true]
        #expect(literal.tableValue?.array == ["x", "y"])
        #expect(literal["k"] == true)
    }

    @Test("Functions and coroutines come back as references")
    func references() throws {
        let lua = try smallState()
        let r = try lua.run(source: "local f = function(x) return x + 1 end return f, coroutine.create(print), f")
        let f = try #require(r[0].functionValue)
        #expect(try f.call([41]) == [42])
        #expect(try f(1, 2) == [2])
        #expect(r[1].typeName == "thread")
        #expect(r[0] == r[2])  // same Lua function, two references
        #expect(r[0] != r[1])
        f.release()
        #expect(luaError { try f.call() }?.message == "attempt to call a nil value")
        #expect(try lua.run(source: "return print").first?.functionValue != nil)
        // A released slot may be reused, but never seen through the released reference.
        let g = try #require(try lua.run(source: "return function() return 'g' end").first?.functionValue)
        #expect(luaError { try f.call() }?.message == "attempt to call a nil value")
        #expect(try g.call() == ["g"])
    }

    @Test("Cyclic tables are refused with an error, not a hang")
    func cycles() throws {
        let lua = try smallState()
        let error = try #require(luaError { try lua.run(source: "local t = {} t.self = t return t") })
        #expect(error.message == "cannot copy a table that contains itself")
        #expect(try lua.run(source: "local shared = {1} return {shared, shared}") == [[[1], [1]]])
    }
}
