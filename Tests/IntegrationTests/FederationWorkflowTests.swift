import Foundation
import Storage
import Testing

/// Federated learning through the real binary: run files, resume after SIGKILL, bad set-ups.
@Suite("Federated workflow")
struct FederationWorkflowTests {
    static let script = """
        local p = aiotwin.params
        local data = aiotwin.data.synthetic{ classes = 4, shape = {1, 10, 10}, train = 800, test = 200 }
        local model = aiotwin.model.define{ input = {1, 10, 10}, layers = {
          { type = "conv2d", out = 3, kernel = 3 }, { type = "relu" }, { type = "flatten" }, { type = "linear", out = 4 } } }
        local topology = aiotwin.fl.topology{ clients = 6, aggregators = 2, rounds = p.rounds or 6, local_rounds = 2,
                                              client_cost = 1, aggregator_cost = 5, failure = { c2 = 0.5 },
                                              aggregation = "fedavgm" }
        local r = aiotwin.fl.run{ data = data, model = model, topology = topology, partition = "labels:2", lr = 0.05,
                                  checkpoint_every = 1, model_size_mb = 2, evaluate_clients = true }
        print("done", r.rounds, r.stopped_by)
        """

    func write(_ text: String, to path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

    @Test("a hierarchical run records every round, its participation and costs, and a completed status")
    func recorded() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try write(Self.script, to: "\(dir)/fl.lua")
        let r = try AIoTwinBinary.run(["run", "fl.lua", "--out", "out", "--name", "a"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("round 6/6:") && r.stdout.contains("done\t6\trounds"))
        let file = try RunFile.open(path: "\(dir)/out/a.h5")
        #expect(try file.status == .completed)
        let global = try file.readTable("global")
        #expect(global["round"]?.int64s == [0, 1, 2, 3, 4, 5, 6])
        // Per round: 2 LAs × 2 local rounds × 3 clients asked = 12; cost = 2 MB × (2·2·5 + Σ_l (3 down + successes up)·1).
        let asked = try #require(global["asked"]?.int64s), succeeded = try #require(global["succeeded"]?.int64s)
        let cost = try #require(global["cost_round"]?.float64s)
        for round in 1...6 {
            #expect(asked[round] == 12)
            #expect(cost[round] == 2 * (20 + 12 + Double(succeeded[round])))
        }
        let aggregators = try file.readTable("aggregators")
        #expect(aggregators.rowCount == 6 * 2 * 2)
        let clients = try file.readTable("clients")
        #expect(clients.rowCount == 6 * 2 * 2 * 3)
        let failed = try #require(clients["failed"]?.int64s), local = try #require(clients["local_accuracy"]?.float64s)
        for i in 0..<clients.rowCount {
            #expect(failed[i] == 1 ? local[i].isNaN : (0...1).contains(local[i]))
        }
        #expect(try file.events.map(\.kind) == ["federation", "stopped"])
        #expect(try file.snapshotNames().contains("round-6"))
    }

    @Test("kill after round k, resume: the same metrics as an uninterrupted run")
    func resume() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try write(Self.script, to: "\(dir)/fl.lua")
        #expect(try AIoTwinBinary.run(["run", "fl.lua", "--out", "out", "--name", "whole", "--seed", "4"], directory: dir).status == 0)

        _ = try AIoTwinBinary.killed(["run", "fl.lua", "--out", "out", "--name", "cut", "--seed", "4"], directory: dir, after: "round 4/6")
        #expect(try RunFile.open(path: "\(dir)/out/cut.h5").status == .running)

        let resumed = try AIoTwinBinary.run(["run", "--resume", "out/cut.h5", "--out", "out"], directory: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = try RunFile.open(path: "\(dir)/out/whole.h5").readTable("global")
        let b = try RunFile.open(path: "\(dir)/out/cut-resumed.h5").readTable("global")
        for column in ["round", "accuracy", "loss", "cost_total", "succeeded", "failed"] {
            #expect(a[column] == b[column], "column \(column) differs")
        }
        let file = try RunFile.open(path: "\(dir)/out/cut-resumed.h5")
        #expect(try file.events.map(\.kind) == ["federation", "resumed", "stopped"])
        #expect(try file.metadata.seed == 4)
    }

    @Test("bad set-ups fail before training with one clear line; the run file says failed", arguments: [
        ("topology.clients[1].parent = 'la9'", "client c1 has parent 'la9'"),
        ("table.remove(topology.clients, 6); table.remove(topology.clients, 5); table.remove(topology.clients, 4)", "aggregator la2 has no clients"),
        ("topology.clients[2].failure = 1.5", "client c2: failure probability must be in [0, 1], found 1.5"),
        ("topology.clients[3].id = 'c1'", "used twice"),
        ("opts.stop = { accuracy = 2 }", "target accuracy must be in (0, 1], found 2"),
        ("opts.stop = { cost = 1 }; opts.model_size_mb = 1", "more than the budget 1"),
        ("opts.partition = nil; for i, c in ipairs(topology.clients) do c.data = '0:100000' end", "client c1 asks for 100000 examples of class 0"),
        ("topology.global.aggregation = 'fedsomething'", "unknown aggregation 'fedsomething'"),
    ])
    func badSetups(_ edit: String, _ message: String) throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try write("""
            local data = aiotwin.data.synthetic{ classes = 4, shape = {1, 10, 10}, train = 400, test = 100 }
            local model = aiotwin.model.define{ input = {1, 10, 10}, layers = { { type = "flatten" }, { type = "linear", out = 4 } } }
            topology = aiotwin.fl.topology{ clients = 6, aggregators = 2, rounds = 2, client_cost = 1 }
            opts = { data = data, model = model, topology = topology, partition = "iid" }
            \(edit)
            aiotwin.fl.run(opts)
            """, to: "\(dir)/bad.lua")
        let r = try AIoTwinBinary.run(["run", "bad.lua", "--out", "out", "--name", "bad"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.lua:6:") && r.stderr.contains(message), "\(r.stderr)")
        let file = try RunFile.open(path: "\(dir)/out/bad.h5")
        guard case .failed = try file.status else { Issue.record("status \(try file.status)"); return }
        #expect(try !file.tableNames.contains("global"))  // nothing trained
    }
}
