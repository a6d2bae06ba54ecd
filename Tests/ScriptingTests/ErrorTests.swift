import Testing
@testable import Scripting

@Suite("Errors")
struct ErrorTests {
    @Test("Syntax errors report name:LINE:")
    func syntax() throws {
        let lua = try smallState()
        let error = try #require(luaError { try lua.run(source: "local x = 1\nlocal y = = 2\n", chunkName: "bad.lua") })
        #expect(error.kind == .syntax)
        #expect(error.message.hasPrefix("bad.lua:2:"))
    }

    @Test("Runtime errors carry file:line and a traceback")
    func runtime() throws {
        let lua = try smallState()
        let source = "local function weight(node)\n  return node.w.value\nend\nlocal w = weight({})\nreturn w\n"
        let error = try #require(luaError { try lua.run(source: source, chunkName: "nodes.lua") })
        #expect(error.kind == .runtime)
        #expect(error.message == "nodes.lua:2: attempt to index a nil value (field 'w')")
        #expect(error.traceback.hasPrefix("stack traceback:"))
        #expect(error.traceback.contains("nodes.lua:2: in "))
        #expect(error.traceback.contains("nodes.lua:4: in main chunk"))
    }

    @Test("error() with a table or a level")
    func errorValues() throws {
        let lua = try smallState()
        #expect(luaError { try lua.run(source: "error({code = 1})", chunkName: "e.lua") }?.message == "(error object is a table value)")
        #expect(luaError { try lua.run(source: "error('plain', 0)", chunkName: "e.lua") }?.message == "plain")
        #expect(luaError { try lua.run(source: "local function f() error('deep', 2) end\nf()", chunkName: "e.lua") }?.message == "e.lua:2: deep")
    }

    @Test("run(file:) reads through Swift and names the chunk by path")
    func runFile() throws {
        let lua = try smallState()
        #expect(luaError { try lua.run(file: "/nonexistent/x.lua") }?.message.hasPrefix("cannot open /nonexistent/x.lua") == true)
    }

    @Test("A failed call leaves the stack balanced")
    func stackBalance() throws {
        let lua = try smallState()
        for i in 0..<500 {
            _ = luaError { try lua.run(source: "error('x')") }
            _ = luaError { try lua.run(source: "syntax error here") }
            #expect(try lua.run(source: "return ...") == [])
            if i == 499 { #expect(try lua.run(source: "return 1") == [1]) }
        }
    }
}
