import Testing
@testable import Scripting

@Suite("Sandbox")
struct SandboxTests {
    @Test("Only the safe libraries and globals exist")
    func globals() throws {
        let lua = try smallState()
        let r = try lua.run(source: """
            local os_keys = {}
            for k in pairs(os) do os_keys[#os_keys + 1] = k end
            table.sort(os_keys)
            return io, debug, package, dofile, loadfile, string.dump, warn, table.concat(os_keys, ",")
            """)
        #expect(Array(r.prefix(7)) == Array(repeating: LuaValue.nil, count: 7))
        #expect(r[7] == "clock,date,difftime,time")
        #expect(try lua.run(source: "return type(os.time()), type(os.clock()), os.date('!%Y', 0)") == ["number", "number", "1970"])
    }

    @Test("Escapes are errors", arguments: [
        "os.execute('ls')", "io.open('/etc/passwd')", "loadfile('/etc/passwd')", "dofile('/etc/passwd')",
        "debug.getinfo(1)", "package.loadlib('libc.so.6', 'system')", "string.dump(print)", "os.getenv('HOME')",
        "require('io')", "collectgarbage('stop')", "setmetatable({}, {__gc = function() end})",
    ])
    func escapes(source: String) throws {
        let lua = try smallState()
        let error = try #require(luaError { try lua.run(source: source, chunkName: "escape.lua") })
        #expect(error.kind == .runtime)
        #expect(error.message.hasPrefix("escape.lua:1:"))
    }

    @Test("require of an unresolvable module names it")
    func requireMissing() throws {
        let lua = try smallState()
        let error = try #require(luaError { try lua.run(source: "return require('socket')", chunkName: "r.lua") })
        #expect(error.message == "r.lua:1: module 'socket' not found")
    }

    @Test("Bytecode is refused by run and by load")
    func bytecode() throws {
        let lua = try smallState()
        let error = try #require(luaError { try lua.run(source: "\u{1B}LuaT\0\u{19}\u{93}\r\n", chunkName: "bc") })
        #expect(error.kind == .syntax)
        #expect(error.message.contains("binary chunk"))
        let r = try lua.run(source: #"local f, e = load("\27LuaT\0\25\147\r\n", "x", "b") return f, e"#)
        #expect(r[0] == .nil)
        #expect(r[1].stringValue?.contains("attempt to load a binary chunk (mode is 't')") == true)
    }

    @Test("Text load works and sees only the sandbox (or the given env)")
    func textLoad() throws {
        let lua = try smallState()
        let r = try lua.run(source: """
            local f = load("return 1 + 2")
            local g = load("return io, x", "chunk", "t", {x = 5})
            return f(), g()
            """)
        #expect(r == [3, .nil, 5])
    }

    @Test("collectgarbage keeps collect, count and step")
    func collectGarbage() throws {
        let lua = try smallState()
        let r = try lua.run(source: "collectgarbage() collectgarbage('step') return collectgarbage('count') > 0")
        #expect(r == [true])
    }

    @Test("C loops without allocation are bounded")
    func cLoops() throws {
        let lua = try smallState()
        #expect(try lua.run(source: "return string.rep('', 1e15), string.rep('ab', 3, ','), ('x'):rep(0)") == ["", "ab,ab,ab", ""])
        let error = try #require(luaError { try lua.run(source: "return table.move({}, 1, 1e15, 2)", chunkName: "m.lua") })
        #expect(error.kind == .instructionLimit)
        #expect(error.message.hasPrefix("m.lua:1: instruction limit exceeded"))
        #expect(try lua.run(source: "return table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')") == ["1,1,2,3"])
    }

    @Test("print goes to the Swift sink")
    func printCapture() throws {
        let lines = LineSink()
        let lua = try LuaState(sandbox: LuaSandbox(print: { lines.lines.append($0) }))
        try lua.run(source: "print('a', 1, 2.5, nil, true) print() print(setmetatable({}, {__tostring = function() return 'T' end}))")
        #expect(lines.lines == ["a\t1\t2.5\tnil\ttrue", "", "T"])
    }

    @Test("Swift sees globals raw, whatever metatable the script sets")
    func rawGlobals() throws {
        let lua = try smallState()
        try lua.run(source: "setmetatable(_G, {__index = function() error('no') end, __newindex = function() error('no') end})")
        try lua.setGlobal("answer", 42)
        #expect(try lua.global("answer") == 42)
        #expect(try lua.global("missing") == .nil)
        lua.register(global: "twice") { args in [.number(try args.number(at: 1) * 2)] }
        #expect(try lua.run(source: "return twice(answer)") == [84])
    }
}

final class LineSink {
    var lines: [String] = []
}
