import Foundation
import Storage
import Testing

/// `aiotwin proxy emulate`: the real binary, real sockets on loopback, a few seconds each.
@Suite("aiotwin proxy emulate", .serialized)
struct EmulateCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let deliverable = repository + "/datasets/scenarios/deliverable.yaml"
    static let instances: Set<String> = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]

    /// Three instances with a deployment at P1 and (variant `crash`) a crash at P2: `a` on the
    /// proxy node, `b` 10 ms away, `c` 150 ms away; 300 requests at 10 req/s.
    static let small = repository + "/datasets/scenarios/loopback-small.yaml"

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    @Test("the deliverable's static case: consistent JSON beside the simulation, and run files compare accepts")
    func deliverableStatic() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        let r = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", Self.deliverable, "--case", "static", "--balancer", "slo_aware",
                                       "--requests", "200", "--speedup", "20", "--seed", "0", "--json",
                                       "--out", "emu.h5", "--simulation-out", "sim.h5"], directory: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let o = try Self.object(r.stdout)
        #expect(o["requests"] as? Int == 200)
        #expect(o["mode"] as? String == "emulation")
        #expect(o["case"] as? String == "static" && o["balancer"] as? String == "slo_aware")
        #expect(o["seeds"] as? [Int] == [0])
        let success = try #require(o["success_rate"] as? Double)
        #expect((0...1).contains(success))
        #expect(success >= 0.95)  // slo_aware meets τ on the static case (a few misses allowed for a busy host)
        let perInstance = try #require(o["per_instance"] as? [String: Int])
        #expect(Set(perInstance.keys).isSubset(of: Self.instances))
        #expect(perInstance.values.reduce(0, +) <= 200 && perInstance.values.reduce(0, +) >= 195)
        // Far instances (s1, s2, s7: > 100 ms away) are (almost) never used.
        #expect((perInstance["s1"] ?? 0) + (perInstance["s2"] ?? 0) + (perInstance["s7"] ?? 0) <= 5)
        let mean = try #require(o["mean_response_ms"] as? Double)
        let p50 = try #require(o["p50_ms"] as? Double), p99 = try #require(o["p99_ms"] as? Double)
        #expect(mean > 3 && mean < 80 && p50 <= p99)
        // The simulation of the same seed, and the differences.
        let sim = try #require(o["simulation"] as? [String: Any])
        #expect(sim["requests"] as? Int == 200)
        let diff = try #require(o["difference"] as? [String: Any])
        let simSuccess = try #require(sim["success_rate"] as? Double)
        #expect(abs((diff["success_rate"] as? Double ?? .nan) - (success - simSuccess)) < 1e-9)
        #expect(abs(success - simSuccess) < 0.05)
        #expect(abs((diff["mean_response_ms"] as? Double ?? .nan) - (mean - (sim["mean_response_ms"] as? Double ?? .nan))) < 1e-9)
        #expect((diff["share"] as? [String: Double])?.keys.allSatisfy(Self.instances.contains) ?? false)
        #expect(r.stderr.contains("emulate slo_aware on static") && !r.stderr.contains("\r"))

        // The run files: the form of `proxy simulate --out`.
        for file in ["emu.h5", "sim.h5"] {
            let run = try RunFile.open(path: "\(dir)/\(file)")
            let requests = try run.readTable("requests")
            #expect(requests.rowCount == 200)
            #expect(requests["instance"]?.strings?.allSatisfy { $0.isEmpty || Self.instances.contains($0) } ?? false)
            #expect(try run.readTable("seeds").rowCount == 1)
            #expect(try run.status == .completed)
            try run.close()
        }
        let cmp = try AIoTwinBinary.run(["compare", "emu.h5", "sim.h5", "--table", "requests", "--metric", "response_ms",
                                         "--by", "time", "--format", "csv"], directory: dir)
        #expect(cmp.status == 0, "\(cmp.stderr)")
        #expect(cmp.stdout.contains("emu,") && cmp.stdout.contains("sim,"))
    }

    @Test("a small scenario with a deployment and a crash: text output, events and retries")
    func smallScenario() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        let r = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", Self.small, "--case", "changing", "--variant", "crash",
                                       "--speedup", "10", "--json"], directory: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let o = try Self.object(r.stdout)
        #expect(o["requests"] as? Int == 300)
        let phases = try #require(o["phases"] as? [[String: Any]])
        #expect(phases.map { $0["id"] as? String } == ["P0", "P1", "P2"])
        let served = phases.map { ($0["per_instance"] as? [String: Int]) ?? [:] }
        #expect(served[0]["a"] == nil)          // not deployed yet
        #expect((served[1]["a"] ?? 0) > 10)     // deployed, on the proxy's node
        // Crashed at P2: connections refused, the proxy retried elsewhere.
        let attempts = try #require(o["proxy_attempts"] as? [String: [String: Int]])
        #expect((attempts["a"]?["connect_refused"] ?? 0) >= 1)
        #expect(served[2]["a"] == nil)
        #expect((o["success_rate"] as? Double ?? 0) >= 0.95)

        let text = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", Self.small, "--case", "changing", "--speedup", "20",
                                          "--requests", "60", "--balancer", "nodeport", "--quiet"], directory: dir)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("nodeport on changing, seed 0, emulated over loopback at 20x: 60 requests"))
        #expect(text.stdout.contains("emulated   simulated  difference"))
        #expect(text.stdout.contains("share b") && text.stdout.contains("share c"))
        #expect(text.stderr.isEmpty)
    }

    @Test("bad input: one clear line and a non-zero exit", arguments: [
        (["--case", "nope"], "no scenario 'nope'"),
        (["--variant", "nope"], "no variant 'nope'"),
        (["--balancer", "nope"], "unknown balancer 'nope'"),
        (["--speedup", "0"], "--speedup"),
        (["--speedup", "nan"], "--speedup"),
        (["--requests", "0"], "--requests"),
    ])
    func badInput(_ args: [String], _ fragment: String) throws {
        let r = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", Self.deliverable] + args)
        #expect(r.status != 0)
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        #expect(r.stdout.isEmpty)
    }

    @Test("an invalid or missing scenario file is named in one line")
    func badScenarioFile() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try "schema: aiotwin.qos-scenario/1\nname: x\nfoo: 1\n".write(toFile: "\(dir)/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", "bad.yaml"], directory: dir)
        #expect(bad.status != 0 && bad.stderr.contains("bad.yaml") && bad.stderr.contains("foo"), "\(bad.stderr)")
        let missing = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", "missing.yaml"], directory: dir)
        #expect(missing.status != 0 && missing.stderr.contains("missing.yaml"))
        #expect(!bad.stderr.contains("Fatal error") && !missing.stderr.contains("Fatal error"))
    }
}
