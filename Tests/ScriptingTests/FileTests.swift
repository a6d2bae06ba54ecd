import Foundation
import Testing
@testable import Scripting

@Suite("Files")
struct FileTests {
    @Test("run(file:) and the directory resolver read real files")
    func files() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scripting-tests-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("strategies"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "return { pick = function(x) return x + 1 end }".write(to: root.appendingPathComponent("strategies/greedy.lua"), atomically: true, encoding: .utf8)
        try "local g = require('strategies.greedy')\nreturn g.pick(1), missing.field".write(to: root.appendingPathComponent("main.lua"), atomically: true, encoding: .utf8)
        let lua = try smallState(sandbox: LuaSandbox(print: { _ in }, moduleResolver: LuaModuleSource.resolver(directory: root.path)))
        let error = try #require(luaError { try lua.run(file: root.appendingPathComponent("main.lua").path, chunkName: "main.lua") })
        #expect(error.message == "main.lua:2: attempt to index a nil value (global 'missing')")
        #expect(try lua.run(source: "return require('strategies.greedy').pick(41)") == [42])
    }
}
