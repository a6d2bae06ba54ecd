import Foundation
import Learning
import Reporting
import Scripting
import Storage
import Testing
@testable import Workbench

@Suite("Run files from Lua")
struct RunAPITests {
    @Test("log infers columns from the first row, flushes, and reads back")
    func logAndRead() throws {
        let t = try TestHost()
        let r = try t.run("""
            local run = aiotwin.runs.create{ name = "a", config = { lr = 0.5, tag = "x", list = {1, 2} } }
            for round = 1, 3 do run:log("global", { round = round, accuracy = 0.5 + round / 10, note = "r" .. round }) end
            run:event("reconfigured", { removed = { "n9" } })
            run:finish()
            local back = aiotwin.runs.read(run:path())
            return back.status, back.tables.global.round[3], back.tables.global.accuracy[2], back.tables.global.note[1],
                   back.config.lr, back.config.list[2], back.events[1].kind, back.events[1].round, back.name
            """)
        #expect(r[0] == .string("completed"))
        #expect(r[1] == .integer(3))
        #expect(r[2] == .number(0.7))
        #expect(r[3] == .string("r1"))
        #expect(r[4] == .number(0.5))
        #expect(r[5] == .integer(2))
        #expect(r[6] == .string("reconfigured"))
        #expect(r[7] == .integer(3))  // stamped with the last logged round
        #expect(r[8] == .string("a"))
        let file = try RunFile.open(path: t.dir + "/runs/a.h5")
        let table = try file.readTable("global")
        #expect(table.schema.map(\.name) == ["round", "accuracy", "note"])
        #expect(table.schema.map(\.type) == [.int64, .float64, .string])
    }

    @Test("rows that do not fit the table are refused with the column named")
    func schemaErrors() throws {
        let t = try TestHost()
        _ = try t.run("run = aiotwin.runs.create{ name = 'b' }; run:log('m', { round = 1, loss = 0.5, tag = 'x' })")
        #expect(t.failure("run:log('m', { round = 1.5, loss = 0.1, tag = 'y' })").contains("column 'round' holds integers, got 1.5"))
        #expect(t.failure("run:log('m', { round = 2, loss = 'high', tag = 'y' })").contains("column 'loss' holds numbers"))
        #expect(t.failure("run:log('m', { round = 2, loss = 0.1, tag = 'y', extra = 1 })").contains("unknown column 'extra'"))
        #expect(t.failure("run:log('m', { 1, 2, 3 })").contains("named values"))
        // A float column may skip a value (NaN); the row is still written.
        _ = try t.run("run:log('m', { round = 2, tag = 'z' }); run:finish()")
        let table = try RunFile.open(path: t.dir + "/runs/b.h5").readTable("m")
        #expect(table.rowCount == 2)
        #expect(table["loss"]?.float64s?[1].isNaN == true)
        #expect(t.failure("run:log('m', { round = 3, tag = 'w' })").contains("finished"))
    }

    @Test("a snapshot stores the model in PyTorch layout and rebuilds it exactly")
    func snapshots() throws {
        let t = try TestHost()
        _ = try t.run("""
            model = aiotwin.model.lenet5{ input = {1, 28, 28}, seed = 4 }
            local run = aiotwin.runs.create{ name = "s" }
            run:snapshot("final", model, 7)
            run:finish()
            """)
        let file = try RunFile.open(path: t.dir + "/runs/s.h5")
        let rebuilt = try file.readModel(snapshot: "final")
        let original = try Model(spec: ModelZoo.lenet5(input: [1, 28, 28]), seed: 4)
        #expect(rebuilt.parameters == original.parameters)
        let snapshot = try file.readSnapshot(name: "final")
        #expect(snapshot.tensors.first?.name == "conv1.weight" && snapshot.tensors.first?.shape == [6, 1, 5, 5])
        #expect(snapshot.attributes["round"] == .int64(7))
    }

    @Test("runs left open are marked failed when the script stops")
    func openRuns() throws {
        let t = try TestHost()
        #expect(!t.failure("local run = aiotwin.runs.create{ name = 'c' }; run:log('g', { round = 1, v = 1 }); error('boom')").isEmpty)
        t.host.closeOpenRuns(status: .failed("stopped"))
        let file = try RunFile.open(path: t.dir + "/runs/c.h5")
        #expect(try file.status == .failed("stopped"))
        #expect(try file.readTable("g").rowCount == 1)
    }

    @Test("compare: final, best and time to target match the logged values")
    func compare() throws {
        let t = try TestHost()
        let r = try t.run("""
            for _, spec in ipairs({ { "slow", { 0.2, 0.5, 0.7, 0.8 } }, { "fast", { 0.6, 0.85, 0.9, 0.88 } } }) do
              local run = aiotwin.runs.create{ name = spec[1] }
              for i, a in ipairs(spec[2]) do run:log("global", { round = i, accuracy = a, cost_total = 100 * i }) end
              run:finish()
            end
            local dir = aiotwin.out_dir
            return aiotwin.runs.compare{ files = { dir .. "/slow.h5", dir .. "/fast.h5" }, by = "cost", target = 0.8, format = "csv", plot = "c.svg" }
            """)
        let csv = try #require(r.first?.stringValue)
        let rows = csv.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
        #expect(rows[0] == ["run", "status", "points", "final accuracy", "best accuracy", "best at cost", "cost to 0.8"])
        #expect(rows[1] == ["slow", "completed", "4", "0.8", "0.8", "400", "400"])
        #expect(rows[2] == ["fast", "completed", "4", "0.88", "0.9", "300", "200"])
        #expect(FileManager.default.fileExists(atPath: t.dir + "/runs/c.svg"))
        #expect(t.host.takeArtifacts().count == 1)
    }

    @Test("compare refuses files that are not run files, naming them")
    func foreign() throws {
        let t = try TestHost()
        let path = t.dir + "/not.h5"
        try Data("not hdf5 at all".utf8).write(to: URL(fileURLWithPath: path))
        let message = t.failure("aiotwin.runs.compare{ files = { '\(path)' } }")
        #expect(message.contains(path))
    }
}
