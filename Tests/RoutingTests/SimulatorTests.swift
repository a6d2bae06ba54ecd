import Foundation
import Testing
@testable import Routing
#if canImport(Learning)
import Learning
#endif

/// Routes every request to `target` (or the first candidate), records what it is told, and asks
/// for the pings in `pings` once.
final class FixedPolicy: RoutingPolicy {
    let name = "fixed"
    var pool: [String] { [target] }
    let target: String
    var dataPath: DataPath
    var wantsWarmConnections: Bool
    var pings: [String]
    private(set) var pingResults: [(node: String, ms: Int?, at: Double)] = []
    private(set) var changes: [[String]] = []
    private(set) var observed: [RequestMeasurement] = []

    init(_ target: String, path: DataPath = .proxied, warm: Bool = false, pings: [String] = []) {
        self.target = target
        self.dataPath = path
        self.wantsWarmConnections = warm
        self.pings = pings
    }
    func instancesChanged(_ instances: [Instance], at now: Double) { changes.append(instances.map(\.name)) }
    func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        candidates.first { $0.name == target } ?? candidates.first
    }
    func observe(_ m: RequestMeasurement) { observed.append(m) }
    func pingsWanted(at now: Double) -> [String] { defer { pings = [] }; return pings }
    func pingResult(node: String, latencyMs: Int?, at now: Double) { pingResults.append((node, latencyMs, now)) }
}

/// The reference scenario without jitter, with edits.
func quietScenario(_ edits: [(String, String)] = []) throws -> Scenario {
    var yaml = Fixtures.yaml(replacing: "    sigma_ms: 1.0", with: "    sigma_ms: 0.0")
    for (old, new) in edits {
        #expect(yaml.contains(old), "fixture text not found: \(old)")
        yaml = yaml.replacingOccurrences(of: old, with: new)
    }
    return try Scenario.decode(yaml: yaml)
}

func runFixed(_ scenario: Scenario, _ policy: FixedPolicy, case c: ScenarioCase = Fixtures.staticCase, seed: UInt64 = 1) throws -> SimulationResult {
    try Simulator(scenario: scenario, scenarioCase: c, seed: seed) { _ in policy }.run()
}

@Suite("Simulator")
struct SimulatorTests {
    @Test("the proxied latency model: R(i) warm, + (r + h) on the cold first request, cross-node overhead")
    func latencyModel() throws {
        let s = try quietScenario()
        for (name, warm) in [("s3", 6.02), ("s4", 27.42), ("s7", 177.42)] {
            let r = try runFixed(s, FixedPolicy(name))
            let rtt = s.topology.node(named: s.instance(named: name)!.node)!.rttMs
            #expect(r.records[0].coldConnection && abs(r.records[0].responseMs! - (warm + rtt + 0.3)) < 1e-9, "\(name)")
            let warmOnes = r.records.dropFirst().filter { !$0.coldConnection }
            #expect(warmOnes.count == 3999)
            // Warm responses are R(i) plus the FIFO wait (rare at 2 req/s, never negative).
            #expect(warmOnes.allSatisfy { $0.responseMs! >= warm - 1e-9 })
            #expect(Double(warmOnes.filter { abs($0.responseMs! - warm) < 1e-9 }.count) / 3999 > 0.95, "\(name)")
            let expectedSuccess: Double = warm < 80 ? 1 : 0
            #expect(r.summary.successRate == expectedSuccess)
        }
    }

    @Test("jitter is N(0, 1) truncated at ±3σ; the response never drops below 0.1 ms")
    func jitter() throws {
        let r = try runFixed(Fixtures.deliverable, FixedPolicy("s3"))
        let warm: [Double] = r.records.dropFirst().map { $0.responseMs! - 6.02 }
        let mean = warm.reduce(0, +) / Double(warm.count)
        let squares: [Double] = warm.map { ($0 - mean) * ($0 - mean) }
        let sd = (squares.reduce(0, +) / Double(warm.count)).squareRoot()
        #expect(abs(mean) < 0.08 && abs(sd - 0.986) < 0.06)   // sd of N(0,1) truncated at 3σ ≈ 0.986
        #expect(warm.allSatisfy { $0 >= -3 - 1e-9 })
        let tiny = try Scenario.decode(yaml: Fixtures.yaml(replacing: "{name: s3, node: worker3, service_ms: 5.0}", with: "{name: s3, node: worker3, service_ms: 0.0}"))
        #expect(try runFixed(tiny, FixedPolicy("s3")).records.allSatisfy { $0.responseMs! >= 0.1 })
    }

    @Test("FIFO single server: waits accumulate when the service time exceeds the gaps")
    func fifoQueue() throws {
        let s = try quietScenario([("{name: s4, node: worker4, service_ms: 5.0}", "{name: s4, node: worker4, service_ms: 600.0}")])
        let r = try runFixed(s, FixedPolicy("s4"))
        var freeAt = 0.0
        for rec in r.records.prefix(300) {
            let cold = rec.coldConnection ? 20.3 : 0
            let arrivalAtServer = rec.time + (0.72 + cold + 10.15) / 1000
            let start = max(arrivalAtServer, freeAt)
            freeAt = start + 0.6
            let expected = 0.72 + cold + 20.3 + (start - arrivalAtServer) * 1000 + 600 + 1.4
            #expect(abs(rec.responseMs! - expected) < 1e-6)
        }
        #expect(r.records[299].responseMs! > 10_000)          // ρ = 1.2: the queue grows
    }

    @Test("connections idle for more than 90 s go cold again")
    func idleTimeout() throws {
        let s = try quietScenario([("rate_per_s: 2.0", "rate_per_s: 0.01")])
        let r = try runFixed(s, FixedPolicy("s5"))
        for k in 1..<200 {
            let previousEnd = r.records[k - 1].time + r.records[k - 1].responseMs! / 1000
            #expect(r.records[k].coldConnection == (r.records[k].time - previousEnd > 90), "request \(k)")
        }
        #expect(r.records.contains { $0.coldConnection } && r.records.contains { !$0.coldConnection })
    }

    @Test("warm connections: opened when the instance appears, never cold afterwards")
    func warmConnections() throws {
        let s = try quietScenario([("rate_per_s: 2.0", "rate_per_s: 0.01")])
        let r = try runFixed(s, FixedPolicy("s5", warm: true))
        #expect(r.records.allSatisfy { !$0.coldConnection && abs($0.responseMs! - 47.42) < 1e-9 })
    }

    @Test("NodePort path: warm proxied response + 42.9 ms, never cold")
    func nodePort() throws {
        let s = try quietScenario()
        let r = try runFixed(s, FixedPolicy("s4", path: .nodePort))
        #expect(r.records.allSatisfy { !$0.coldConnection })
        #expect(r.records.allSatisfy { $0.responseMs! >= 27.42 + 42.9 - 1e-9 })
        #expect(Double(r.records.filter { abs($0.responseMs! - (27.42 + 42.9)) < 1e-9 }.count) / 4000 > 0.97)
    }

    @Test("pings: (cold ? 2 : 1)·r + 0.5 + |N(0, 0.3)|, floored, sequential, cold again after 90 s idle")
    func pings() throws {
        let policy = FixedPolicy("s3", pings: ["worker4", "worker4", "master", "nowhere"])
        _ = try runFixed(Fixtures.deliverable, policy)
        let p = policy.pingResults
        try #require(p.count == 4)
        #expect(p[0].node == "worker4" && (40...41).contains(p[0].ms!))
        #expect((20...21).contains(p[1].ms!) && (340...341).contains(p[2].ms!))
        #expect(p[3].ms == nil)
        #expect(p[0].at > 0.040 && p[1].at - p[0].at > 0.020 && p[2].at - p[1].at > 0.340)   // one after the other, master cold
    }

    @Test("events: add, service time, RTT, delete and crash, with the candidates the policy sees")
    func events() throws {
        let s = try quietScenario()
        let dyn = try runFixed(s, FixedPolicy("s3"), case: Fixtures.dynamicCase)
        let fixed = try #require(dyn.records.first { $0.index == 0 })
        #expect(fixed.instance == "s1")                                           // T0: no s3 yet, first candidate
        let t1 = dyn.records.filter { $0.phase == 1 }
        #expect(t1.allSatisfy { $0.instance == "s3" })
        #expect(abs(t1[5].responseMs! - 6.02) < 1e-9)
        let t2 = dyn.records.filter { $0.phase == 2 }
        #expect(t2.dropFirst(10).allSatisfy { $0.responseMs! >= 106.02 - 1e-9 && !$0.success })
        let t3 = dyn.records.filter { $0.phase == 3 }
        #expect(t3.allSatisfy { $0.instance == "s1" })                            // s3 deleted and unlisted
        let t4 = dyn.records.filter { $0.phase == 4 }
        #expect(t4.dropFirst(5).allSatisfy { abs($0.responseMs! - 207.42) < 1e-9 || $0.responseMs! > 207.42 })

        let crash = try runFixed(s, FixedPolicy("s3"), case: ScenarioCase(scenario: "dynamic", variant: "crash_instead_of_delete"))
        let c3 = crash.records.filter { $0.phase == 3 }
        #expect(c3.allSatisfy { $0.instance == "s3" && $0.transportError && !$0.success && abs($0.responseMs! - 1.02) < 1e-9 })

        let policy = FixedPolicy("s4")
        _ = try runFixed(s, policy, case: Fixtures.dynamicCase)
        #expect(policy.changes == [["s1", "s2", "s4", "s5", "s6", "s7"], ["s1", "s2", "s3", "s4", "s5", "s6", "s7"],
                                   ["s1", "s2", "s4", "s5", "s6", "s7"]])
        #expect(policy.observed.count == 3750 && policy.observed.allSatisfy { $0.instance.name == "s4" })
        let m = policy.observed[100]
        #expect(abs(m.upstreamMs - (m.responseMs - 0.72)) < 1e-9)
    }

    @Test("same seed, same records (bit for bit); another seed differs")
    func determinism() throws {
        for (alg, c) in [("qedgeproxy", Fixtures.dynamicCase), ("slo_aware", Fixtures.calibratedCase), ("proxymity_alpha_0_8", Fixtures.dynamicCase)] {
            let a = try Simulator(scenario: Fixtures.deliverable, scenarioCase: c, algorithm: alg, seed: 11).run()
            let b = try Simulator(scenario: Fixtures.deliverable, scenarioCase: c, algorithm: alg, seed: 11).run()
            let other = try Simulator(scenario: Fixtures.deliverable, scenarioCase: c, algorithm: alg, seed: 12).run()
            #expect(a.records == b.records, "\(alg)")
            #expect(a.poolTrace == b.poolTrace)
            #expect(a.records != other.records)
        }
        let k1 = try Simulator(scenario: Fixtures.deliverable, scenarioCase: Fixtures.dynamicCase, algorithm: "slo_aware", seed: 3, proxies: 3).run()
        let k2 = try Simulator(scenario: Fixtures.deliverable, scenarioCase: Fixtures.dynamicCase, algorithm: "slo_aware", seed: 3, proxies: 3).run()
        #expect(k1.records == k2.records && Set(k1.records.map(\.proxy)) == [0, 1, 2])
        let serial = try Simulator.runSeeds(scenario: Fixtures.deliverable, scenarioCase: Fixtures.staticCase, algorithm: "qedgeproxy", seeds: [1, 2, 3])
        let parallel = try Simulator.runSeeds(scenario: Fixtures.deliverable, scenarioCase: Fixtures.staticCase, algorithm: "qedgeproxy", seeds: [1, 2, 3], parallel: true)
        #expect(serial.summaries == parallel.summaries)
    }

    @Test("the summary: success fraction, mean, percentiles, per-instance and per-phase counts")
    func summary() throws {
        let r = try Simulator(scenario: Fixtures.deliverable, scenarioCase: Fixtures.dynamicCase, algorithm: "nodeport", seed: 5).run()
        let s = r.summary
        #expect(s.requests == 3750 && s.phases.map(\.id) == ["T0", "T1", "T2", "T3", "T4"])
        #expect(s.phases.map(\.requests) == [750, 750, 750, 750, 750])
        #expect(s.successes == r.records.filter(\.success).count)
        #expect(abs(s.meanMs - r.records.map { $0.responseMs! }.reduce(0, +) / 3750) < 1e-9)
        #expect(s.perInstance.values.reduce(0, +) == 3750 && s.perInstance["s3"] == s.phases[1].perInstance["s3"]! + s.phases[2].perInstance["s3"]!)
        let sorted = r.records.map { $0.responseMs! }.sorted()
        #expect(s.p50Ms == sorted[1874] && s.p99Ms == sorted[3712])
    }

    @Test("share clauses of the scenario's SLO reach the balancer")
    func shareClauses() throws {
        let s = try Scenario.decode(yaml: Fixtures.yaml(replacing: "  window_s: 60 ", with: "  share_clauses: [{attribute: accuracy, comparator: \">\", threshold: 0.95, minimum_share: 0.55}]\n  window_s: 60 ")
            .replacingOccurrences(of: "{name: s6, node: worker6, service_ms: 5.0}", with: "{name: s6, node: worker6, service_ms: 5.0, attributes: {accuracy: 0.99}}"))
        #expect(s.requirement.shareClauses.count == 1)
        let r = try Simulator.runSeeds(scenario: s, scenarioCase: Fixtures.staticCase, algorithm: "slo_aware", seeds: [1, 2])
        #expect(abs(r.share("s6") - 0.55) < 0.03)
        #expect(abs(r.share("s3") - 0.15) < 0.03)
        #expect(r.successRate == 1)
    }
}
