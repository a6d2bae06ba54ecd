import Foundation
import Storage
import Testing

/// `aiotwin proxy emulate`: the real binary, real sockets on loopback, a few seconds each.
@Suite("aiotwin proxy emulate", .serialized)
struct EmulateCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let deliverable = repository + "/datasets/scenarios/deliverable.yaml"
    static let instances: Set<String> = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]

    /// A three-instance scenario with a deployment and a crash (`a` on the proxy node, `b` 10 ms
    /// away, `c` 150 ms away), 300 requests at 10 req/s.
    static let small = """
    schema: aiotwin.qos-scenario/1
    name: emulate-cli-test
    slo: {service: dps, tau_ms: 80, comparison: less_than, errors_count_as_failure: true,
          scope_of_published_fraction: whole_run, rho: 0.99, window_s: 60}
    topology:
      proxy_node: n1
      client: {name: device, attached_to: n1, client_to_proxy_ms: 0.0}
      nodes:
        - {name: n1, tier: edge, rtt_ms: 0.0}
        - {name: n2, tier: edge, rtt_ms: 10.0}
        - {name: n3, tier: cloud, rtt_ms: 150.0}
    instances:
      - {name: a, node: n1, service_ms: 2.0}
      - {name: b, node: n2, service_ms: 2.0}
      - {name: c, node: n3, service_ms: 2.0}
    latency_model:
      pod_hop_rtt_ms: 0.3
      proxy_overhead_ms: 0.72
      cross_node_overhead_ms: 1.4
      queue: fifo_single_server
      new_connection: {extra_round_trips: 1, idle_timeout_s: 90, applies_to: [proxy_to_pod, proxy_to_node_ping]}
      jitter: {distribution: normal, mean_ms: 0.0, sigma_ms: 1.0, truncate_at_sigmas: 3}
      min_response_ms: 0.1
      measured_sample: response_minus_proxy_overhead
      ping: {overhead_ms: 0.5, noise: abs_normal, noise_sigma_ms: 0.3, round_trips_warm: 1, round_trips_cold: 2,
             rounding: floor_whole_ms}
      nodeport: {selection: uniform_random_per_request, extra_ms: 42.9, connection_cost_included_in_extra: true}
    workload: {method: POST, body_bytes: 64, arrival: poisson, rate_per_s: 10.0, seeds: 1, first_seed: 0}
    scenarios:
      changing:
        requests: 300
        initial_instances: [b, c]
        phases:
          - {id: P0, start_request: 0, events: []}
          - {id: P1, start_request: 100, events: [{type: instance_add, instance: a, ready_delay_s: 0.0}]}
          - {id: P2, start_request: 200, events: [{type: instance_fail, instance: a, mode: connection_refused}]}
    """

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
        try Self.small.write(toFile: "\(dir)/small.yaml", atomically: true, encoding: .utf8)
        let r = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", "small.yaml", "--case", "changing", "--speedup", "10",
                                       "--json"], directory: dir)
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

        let text = try AIoTwinBinary.run(["proxy", "emulate", "--scenario", "small.yaml", "--case", "changing", "--speedup", "20",
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
