import Foundation
import Scripting
import Testing
@testable import Workbench

@Suite("Plugins")
struct PluginTests {
    /// A plugin directory with one good plugin per kind folder and a few broken ones.
    static func pluginDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "aiotwin-plugins-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/strategies", withIntermediateDirectories: true)
        func write(_ path: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + path)) }
        try write("strategies/halves.lua", """
            return { kind = "strategy", name = "halves", version = "0.2", description = "two halves",
                     params = { share = 0.5, epochs = 1 },
                     configure = function(ctx, p) return math.floor(#ctx.clients * p.share), p.epochs end }
            """)
        try write("wrongname.lua", "return { kind = 'balancer', name = 'other', version = '1' }")
        try write("wrongkind.lua", "return { kind = 'optimizer', name = 'wrongkind', version = '1' }")
        try write("notatable.lua", "return 42")
        try write("syntax.lua", "return {")
        return dir
    }

    @Test("plugins are found in kind folders and at the top level; the first directory wins")
    func catalog() throws {
        let dir = try Self.pluginDirectory()
        let catalog = PluginCatalog(directories: [dir])
        #expect(Set(catalog.entries.map(\.name)) == ["halves", "wrongname", "wrongkind", "notatable", "syntax"])
        let d = try catalog.describe("halves")
        #expect(d.kind == "strategy" && d.version == "0.2" && d.summary == "two halves")
        #expect(d.parameters.map(\.name) == ["epochs", "share"])
        #expect(d.functions == ["configure"])
    }

    @Test("broken plugins are reported with the file and the problem")
    func broken() throws {
        let catalog = PluginCatalog(directories: [try Self.pluginDirectory()])
        func message(_ name: String) -> String {
            do { _ = try catalog.describe(name); return "" } catch { return "\(error)" }
        }
        #expect(message("wrongname").contains("declares name 'other'"))
        #expect(message("wrongkind").contains("kind 'optimizer'"))
        #expect(message("notatable").contains("must return a table"))
        #expect(message("syntax").contains("syntax.lua:1:"))
        #expect(message("missing").contains("unknown plugin 'missing' (available:"))
    }

    @Test("aiotwin.plugin loads a plugin with its defaults overridden by known parameters only")
    func load() throws {
        let t = try TestHost(pluginDirectories: [try Self.pluginDirectory()])
        let r = try t.run("""
            local s = aiotwin.plugin("halves", { epochs = 3 })
            return s:configure == nil, s.configure({ clients = { "a", "b", "c", "d" } }, s.params)
            """.replacingOccurrences(of: "s:configure == nil, ", with: ""))
        #expect(r == [.integer(2), .integer(3)])
        #expect(t.failure("aiotwin.plugin('halves', { share2 = 1 })").contains("has no parameter 'share2' (parameters: epochs, share)"))
        #expect(t.failure("aiotwin.plugin('nope')").contains("unknown plugin 'nope'"))
        // require() finds plugins too.
        #expect(try t.run("return require('halves').version") == [.string("0.2")])
    }

    @Test("the shipped plugins load and work")
    func shipped() throws {
        guard let builtIn = PluginCatalog.builtInDirectory() ?? Optional(FileManager.default.currentDirectoryPath + "/Plugins"),
              FileManager.default.fileExists(atPath: builtIn + "/strategies") else { return }
        let t = try TestHost(pluginDirectories: [builtIn])
        let r = try t.run("""
            local rr = aiotwin.plugin("round_robin")
            local cfg = rr.configure({ clients = { "c1", "c2", "c3" }, aggregators = { "la1", "la2" } }, rr.params)
            local ewma = aiotwin.plugin("ewma", { alpha = 0.5 })
            local e = ewma.update(nil, 10, ewma.params); e = ewma.update(e, 20, ewma.params)
            local b = aiotwin.plugin("random_in_pool")
            local picked = b.pick({ "x" }, aiotwin.random(1))
            return #cfg.clusters.la1, #cfg.clusters.la2, cfg.epochs, e, picked
            """)
        #expect(r == [.integer(2), .integer(1), .integer(2), .number(15), .string("x")])
    }
}
