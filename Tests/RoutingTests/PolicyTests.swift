import Foundation
import Testing
@testable import Routing
#if canImport(Learning)
import Learning
#endif

/// The deliverable's seven instances, one per node.
let testInstances: [Instance] = [
    Instance(name: "s1", node: "worker1"), Instance(name: "s2", node: "worker2"), Instance(name: "s3", node: "worker3"),
    Instance(name: "s4", node: "worker4"), Instance(name: "s5", node: "worker5"), Instance(name: "s6", node: "worker6"),
    Instance(name: "s7", node: "master"),
]
let testContext = PolicyContext(ownNode: "worker3", requirement: QoSRequirement(tauMs: 80, rho: 0.99, windowS: 60))

/// Reports `values` (ms) for the nodes of a pass, `step` seconds apart from `start`.
func answerPings(_ policy: any RoutingPolicy, _ nodes: [String], _ values: [String: Int?], start: Double, step: Double = 0.01) {
    for (k, node) in nodes.enumerated() { policy.pingResult(node: node, latencyMs: values[node] ?? nil, at: start + Double(k + 1) * step) }
}

func measurement(_ i: Instance, at t: Double, ms: Double, started: Double? = nil, transport: Bool = true, tau: Double = 80) -> RequestMeasurement {
    RequestMeasurement(instance: i, startedAt: started ?? t - ms / 1000, time: t, responseMs: ms + 0.72, upstreamMs: ms,
                transportSuccess: transport, sloSuccess: transport && ms + 0.72 < tau)
}

@Suite("QEdgeProxy")
struct QEdgeProxyTests {
    @Test("EWMA: first real sample after a ping uses 0.7, later ones β, whole-ms truncation")
    func ewma() {
        var s = EWMAPredictor.approximation(latencyMs: 40, at: 0)
        s.observe(sample: 87, weight: 0.3, approximationWeight: 0.7, truncate: true, at: 1)
        #expect(s.latencyMs == 72 && !s.approximated)          // ⌊0.3·40 + 0.7·87⌋ = ⌊72.9⌋
        s.observe(sample: 47, weight: 0.3, approximationWeight: 0.7, truncate: true, at: 2)
        #expect(s.latencyMs == 64)                             // ⌊0.7·72 + 0.3·47⌋ = ⌊64.5⌋
        var f = EWMAPredictor.approximation(latencyMs: 60, at: 0)
        f.observe(sample: 127, weight: 0.3, approximationWeight: 0.7, truncate: true, at: 1)
        #expect(f.latencyMs == 106)                            // the spec's "s6 127 ms → EWMA 107, evicted"
        var g = EWMAPredictor(sample: 10, at: 0)
        g.observe(sample: 15, weight: 0.3, approximationWeight: 0.7, truncate: false, at: 1)
        #expect(abs(g.latencyMs - 11.5) < 1e-12)
    }

    @Test("failure cooldown is base · fails real seconds, and a success clears it")
    func failureCooldown() {
        var s = EWMAPredictor.failure(at: 10)
        #expect(s.latencyMs == 0 && s.inFailureCooldown(at: 69.9, baseS: 60) && !s.inFailureCooldown(at: 70, baseS: 60))
        s.observeFailure(at: 100)
        #expect(s.failures == 2 && s.inFailureCooldown(at: 219, baseS: 60) && !s.inFailureCooldown(at: 220.5, baseS: 60))
        s.observe(sample: 20, weight: 0.3, approximationWeight: 0.7, truncate: true, at: 230)
        #expect(s.healthy && s.failures == 0)
    }

    @Test("the static walk-through of §7.4: own node first, cold pass admits s3 and s4, warm pass s5 and s6, s6 evicted")
    func staticWalkthrough() {
        let q = QEdgeProxyPolicy(context: testContext)
        var rng = SeededGenerator(seed: 1)
        #expect(q.choose(at: 0, candidates: testInstances, rng: &rng)?.name == "s3")   // no state: own node
        let pass1 = q.pingsWanted(at: 0)
        #expect(pass1 == ["worker1", "worker2", "worker3", "worker4", "worker5", "worker6", "master"])
        #expect(q.pingsWanted(at: 0).isEmpty)                                           // handed out once
        q.observe(measurement(testInstances[2], at: 0.01, ms: 5.3))                    // real sample 5 on worker3
        answerPings(q, pass1, ["worker1": 200, "worker2": 200, "worker3": 0, "worker4": 40, "worker5": 80, "worker6": 120, "master": 340], start: 0)
        _ = q.choose(at: 1, candidates: testInstances, rng: &rng)                      // merges the pass
        #expect(q.pool == ["s3", "s4"])
        #expect(q.state(forKey: "worker3")?.approximated == false)                     // fresh real data kept
        #expect(q.state(forKey: "worker5")?.latencyMs == 80)                           // 80 is not < 80
        _ = q.choose(at: 60.9, candidates: testInstances, rng: &rng)                   // 2/7 < 0.3 but ⌊60.9⌋ = 60 is not > 60
        #expect(q.pingsWanted(at: 60.9).isEmpty)
        _ = q.choose(at: 61.0, candidates: testInstances, rng: &rng)
        let pass2 = q.pingsWanted(at: 61)
        #expect(pass2.count == 7 && q.passesStarted == 2)
        answerPings(q, pass2, ["worker1": 100, "worker2": 100, "worker3": 0, "worker4": 20, "worker5": 40, "worker6": 60, "master": 170], start: 61)
        _ = q.choose(at: 62, candidates: testInstances, rng: &rng)
        #expect(q.pool == ["s3", "s4", "s5", "s6"])
        #expect(q.state(forKey: "worker3")?.approximated == true && q.state(forKey: "worker3")?.latencyMs == 0) // stale real data overwritten
        q.observe(measurement(testInstances[5], at: 62.2, ms: 127))                     // cold handshake sample
        #expect(q.state(forKey: "worker6")?.latencyMs == 106)
        #expect(q.pool == ["s3", "s4", "s5"])
        for t in stride(from: 63.0, to: 200, by: 0.5) { _ = q.choose(at: t, candidates: testInstances, rng: &rng) }
        #expect(q.passesStarted == 2)                                                  // 3/7 ≥ 0.3: no more passes
    }

    @Test("random mode is uniform over the pool; min-L mode takes the lowest L")
    func selectionModes() {
        let q = QEdgeProxyPolicy(context: testContext)
        var rng = SeededGenerator(seed: 2)
        _ = q.choose(at: 0, candidates: testInstances, rng: &rng)
        answerPings(q, q.pingsWanted(at: 0), ["worker1": 100, "worker2": 100, "worker3": 0, "worker4": 20, "worker5": 40, "worker6": 60, "master": 170], start: 0)
        var counts: [String: Int] = [:]
        for k in 0..<8000 { counts[q.choose(at: 1 + Double(k) * 1e-3, candidates: testInstances, rng: &rng)!.name, default: 0] += 1 }
        #expect(Set(counts.keys) == ["s3", "s4", "s5", "s6"])
        for n in ["s3", "s4", "s5", "s6"] { #expect(abs(Double(counts[n]!) / 8000 - 0.25) < 0.02, "\(n)") }

        var p = QEdgeProxyParameters()
        p.randomMode = false
        let m = QEdgeProxyPolicy(parameters: p, context: testContext)
        _ = m.choose(at: 0, candidates: testInstances, rng: &rng)
        answerPings(m, m.pingsWanted(at: 0), ["worker1": 100, "worker2": 100, "worker3": 0, "worker4": 20, "worker5": 40, "worker6": 60, "master": 170], start: 0)
        #expect((0..<50).allSatisfy { m.choose(at: 1 + Double($0), candidates: testInstances, rng: &rng)?.name == "s3" })
    }

    @Test("transport errors put the node in cooldown; failed and timed-out pings count as maxLatency")
    func errors() {
        let q = QEdgeProxyPolicy(context: testContext)
        var rng = SeededGenerator(seed: 3)
        let two = [testInstances[2], testInstances[3]]
        _ = q.choose(at: 0, candidates: two, rng: &rng)
        answerPings(q, q.pingsWanted(at: 0), ["worker3": 60_000, "worker4": nil], start: 0)
        _ = q.choose(at: 1, candidates: two, rng: &rng)
        #expect(q.state(forKey: "worker3")?.latencyMs == 80 && q.state(forKey: "worker4")?.latencyMs == 80)
        #expect(q.pool.isEmpty)
        q.observe(measurement(testInstances[2], at: 2, ms: 1, transport: false))
        #expect((0..<20).allSatisfy { q.choose(at: 3 + Double($0), candidates: two, rng: &rng)?.name == "s4" })
        #expect(q.choose(at: 63, candidates: [testInstances[2]], rng: &rng)?.name == "s3")   // cooldown over
        q.observe(measurement(testInstances[2], at: 64, ms: 1, transport: false))
        #expect(q.choose(at: 65, candidates: [testInstances[2]], rng: &rng) == nil)           // 404
    }
}

@Suite("proxy-mity")
struct ProxymityTests {
    @Test("weights: softmax with T = 2 ms; α = 0.8, n = 7 gives 82.9% and 2.86%")
    func weights() {
        let lat: [(node: String, latencyMs: Double)] = [("worker1", 200), ("worker2", 200), ("worker3", 3), ("worker4", 40),
                                                        ("worker5", 80), ("worker6", 120), ("master", 340)]
        let w = ProxymityPolicy.weights(latencies: lat, alpha: 0.8, temperatureMs: 2)
        #expect(abs(w["worker3"]! - (0.8 + 0.2 / 7)) < 1e-6)
        for n in ["worker1", "worker4", "worker6", "master"] { #expect(abs(w[n]! - 0.2 / 7) < 1e-6) }
        #expect(abs(w.values.reduce(0, +) - 1) < 1e-12)
        let one = ProxymityPolicy.weights(latencies: lat, alpha: 1, temperatureMs: 2)
        #expect(one["worker3"]! > 1 - 1e-6)
        let zero = ProxymityPolicy.weights(latencies: lat, alpha: 0, temperatureMs: 2)
        #expect(zero.values.allSatisfy { abs($0 - 1.0 / 7) < 1e-12 })
    }

    @Test("pings are floored at 3 ms; a deleted favourite spreads uniformly over the survivors until the refresh")
    func walkAndRefresh() {
        let p = ProxymityPolicy(parameters: ProxymityParameters(alpha: 1), context: testContext)
        var rng = SeededGenerator(seed: 4)
        #expect(p.choose(at: 0, candidates: testInstances, rng: &rng)?.name == "s3")   // no weights: own node
        answerPings(p, p.pingsWanted(at: 0), ["worker1": 200, "worker2": 200, "worker3": 0, "worker4": 40, "worker5": 80, "worker6": 120, "master": 340], start: 0)
        #expect((0..<100).allSatisfy { p.choose(at: 1 + Double($0) * 0.01, candidates: testInstances, rng: &rng)?.name == "s3" })
        #expect(abs(p.weights!["worker3"]! - 1) < 1e-6)
        let survivors = testInstances.filter { $0.name != "s3" }
        var counts: [String: Int] = [:]
        for k in 0..<6000 { counts[p.choose(at: 3 + Double(k) * 0.01, candidates: survivors, rng: &rng)!.name, default: 0] += 1 }
        for s in survivors { #expect(abs(Double(counts[s.name]!) / 6000 - 1.0 / 6) < 0.02, "\(s.name)") }
        #expect(p.passesStarted == 1)
        _ = p.choose(at: 120.9, candidates: survivors, rng: &rng)                     // ⌊120.9⌋ = 120 is not > 120
        #expect(p.passesStarted == 1)
        _ = p.choose(at: 121.0, candidates: survivors, rng: &rng)
        #expect(p.passesStarted == 2)
        answerPings(p, p.pingsWanted(at: 121), ["worker1": 200, "worker2": 200, "worker4": 40, "worker5": 80, "worker6": 120, "master": 340], start: 121)
        #expect((0..<50).allSatisfy { p.choose(at: 122 + Double($0), candidates: survivors, rng: &rng)?.name == "s4" })
        #expect(p.weights?["worker3"] == nil)
    }

    @Test("a new node triggers a pass only after the 60 s cooldown")
    func newNodeCooldown() {
        let p = ProxymityPolicy(parameters: ProxymityParameters(alpha: 1), context: testContext)
        var rng = SeededGenerator(seed: 5)
        let six = testInstances.filter { $0.name != "s3" }
        _ = p.choose(at: 0, candidates: six, rng: &rng)
        answerPings(p, p.pingsWanted(at: 0), ["worker1": 200, "worker2": 200, "worker4": 40, "worker5": 80, "worker6": 120, "master": 340], start: 0)
        _ = p.choose(at: 30, candidates: testInstances, rng: &rng)
        #expect(p.passesStarted == 1)
        #expect(p.choose(at: 60.5, candidates: testInstances, rng: &rng)?.name == "s4")
        _ = p.choose(at: 61.2, candidates: testInstances, rng: &rng)
        #expect(p.passesStarted == 2)
    }
}

@Suite("Peak-EWMA + P2C")
struct PeakEWMATests {
    @Test("cost jumps to a peak, decays with τ_d = 10 s, and the load multiplies by pending + 1")
    func cost() {
        var e = PeakEWMAPredictor(defaultRttMs: 30, decayS: 10, at: 0)
        e.observe(rttMs: 100, at: 1)
        #expect(e.cost == 100)
        #expect(abs(e.load(at: 11) - 100 * exp(-1)) < 1e-9)
        e.observe(rttMs: 10, at: 21)
        #expect(abs(e.cost - (100 * exp(-1) * exp(-1) + 10 * (1 - exp(-1)))) < 1e-9)
        e.pending = 2
        let c = e.cost
        #expect(abs(e.load(at: 21) - 3 * c) < 1e-9)
        var z = PeakEWMAPredictor(defaultRttMs: 0, decayS: 10, at: 0)
        z.pending = 1
        #expect(z.load(at: 0) == PeakEWMAPredictor.penalty + 1)
    }

    @Test("P2C between two endpoints takes the cheaper one; idle endpoints decay and get retried")
    func p2c() {
        let p = PeakEWMAP2CPolicy()
        var rng = SeededGenerator(seed: 6)
        let two = [testInstances[2], testInstances[3]]
        p.instancesChanged(two, at: 0)
        p.observe(measurement(two[0], at: 0.1, ms: 5))
        p.observe(measurement(two[1], at: 0.1, ms: 60))
        var picks: [String] = []
        for k in 0..<20 {
            let t = 1 + Double(k) * 0.05
            let c = p.choose(at: t, candidates: two, rng: &rng)!
            picks.append(c.name)
            p.observe(measurement(c, at: t + 0.005, ms: c.name == "s3" ? 5 : 60))
        }
        #expect(picks.allSatisfy { $0 == "s3" })
        // s4 is not chosen, so its 60 ms cost decays toward 0 until it is cheaper than s3's 5 ms.
        var t = 2.0, retried = false
        while t < 60, !retried {
            let c = p.choose(at: t, candidates: two, rng: &rng)!
            retried = c.name == "s4"
            p.observe(measurement(c, at: t + 0.005, ms: 5))
            t += 0.5
        }
        #expect(retried && t > 20)
    }
}

@Suite("SLO-aware balancer")
struct SLOAwareTests {
    let a = Instance(name: "a", node: "nA"), b = Instance(name: "b", node: "nB"), c = Instance(name: "c", node: "nC")

    func ready(_ rtt: [String: Int?]) -> (SLOAwarePolicy, SeededGenerator) {
        let p = SLOAwarePolicy(context: PolicyContext(ownNode: "nX", requirement: QoSRequirement(tauMs: 80, rho: 0.99)))
        p.instancesChanged([a, b, c], at: 0)
        let wanted = p.pingsWanted(at: 0)
        #expect(wanted == ["nA", "nA", "nB", "nB", "nC", "nC"])
        answerPings(p, wanted, rtt, start: 0, step: 0.001)
        return (p, SeededGenerator(seed: 7))
    }

    @Test("prior: warm RTT + ŝ ≤ 0.9 τ admits; equal shares in the pool")
    func prior() {
        var (p, rng) = ready(["nA": 10, "nB": 20, "nC": 70])
        #expect(p.pool == ["a", "b"])                        // 70 + 10 > 72
        #expect(p.warmRTT(node: "nA") == 10)
        var counts: [String: Int] = [:]
        for k in 0..<4000 {
            let t = 1 + Double(k) * 0.01
            let i = p.choose(at: t, candidates: [a, b, c], rng: &rng)!
            counts[i.name, default: 0] += 1
            p.observe(measurement(i, at: t + 0.005, ms: i.name == "a" ? 15 : 25))
        }
        #expect(counts["c"] == nil)
        #expect(abs(Double(counts["a"]!) / 4000 - 0.5) < 0.03)
        #expect(p.predictions(at: 41)["a"]!.pOK > 0.99)
    }

    @Test("a miss evicts within one sample; one request re-probes after 30 s, then 60 s; success re-admits")
    func suspension() throws {
        var (p, rng) = ready(["nA": 10, "nB": 20, "nC": 20])
        for k in 0..<20 {
            let t = 1 + Double(k) * 0.1
            let i = p.choose(at: t, candidates: [a, b, c], rng: &rng)!
            p.observe(measurement(i, at: t + 0.02, ms: 20))
        }
        p.observe(measurement(a, at: 3.5, ms: 150, started: 3.3))  // miss
        #expect(p.isSuspended("a") && !p.pool.contains("a"))
        #expect(p.pingsWanted(at: 3.5) == ["nA", "nA"])            // diagnosis
        answerPings(p, ["nA", "nA"], ["nA": 10], start: 3.5)
        var probes: [Double] = []
        var t = 4.0
        while t < 260 {
            let i = p.choose(at: t, candidates: [a, b, c], rng: &rng)!
            if i.name == "a" {
                probes.append(t)
                let ok = t > 150
                p.observe(measurement(a, at: t + 0.05, ms: ok ? 20 : 150, started: t))
                if !ok { answerPings(p, p.pingsWanted(at: t + 0.05), ["nA": 10], start: t + 0.05) }
            } else {
                p.observe(measurement(i, at: t + 0.02, ms: 20, started: t))
            }
            t += 0.5
        }
        // probes at ≥ 33.5 s (30 s), then +60 s, then +120 s (successful, re-admitting a)
        try #require(probes.count > 10)
        #expect(abs(probes[0] - 33.5) <= 0.5 && abs(probes[1] - (probes[0] + 0.05 + 60)) <= 0.5)
        #expect(abs(probes[2] - (probes[1] + 0.05 + 120)) <= 0.5)
        #expect(!p.isSuspended("a") && p.pool.contains("a"))
    }

    @Test("a node made infeasible by its environment waits for an environment event, without probes")
    func environment() {
        var (p, rng) = ready(["nA": 10, "nB": 20, "nC": 20])
        p.observe(measurement(a, at: 1, ms: 130, started: 0.9))
        answerPings(p, p.pingsWanted(at: 1), ["nA": 110], start: 1)
        var t = 2.0
        while t < 400 {
            let i = p.choose(at: t, candidates: [a, b, c], rng: &rng)!
            #expect(i.name != "a")
            p.observe(measurement(i, at: t + 0.02, ms: 20, started: t))
            let w = p.pingsWanted(at: t + 0.02)
            if !w.isEmpty { answerPings(p, w, ["nA": 110, "nB": 20, "nC": 20], start: t + 0.02) }
            t += 0.5
        }
        #expect(p.probesSent == 0 && p.isSuspended("a"))
        _ = p.choose(at: 401, candidates: [a, b, c], rng: &rng)
        let w = p.pingsWanted(at: 462)
        #expect(w.contains("nA"))
        answerPings(p, w, ["nA": 10, "nB": 20, "nC": 20], start: 462)
        #expect(!p.isSuspended("a") && p.pool.contains("a"))
    }

    @Test("exploration is budgeted at (1 − ρ)/2 of the traffic")
    func budget() {
        var (p, rng) = ready(["nA": 10, "nB": 20, "nC": 20])
        var requests = 0
        var t = 1.0
        p.observe(measurement(a, at: 1, ms: 150, started: 0.9))
        answerPings(p, p.pingsWanted(at: 1), ["nA": 10], start: 1)
        while t < 3000 {   // a keeps missing: probes every ≤ 300 s, at most one token per 200 requests
            let i = p.choose(at: t, candidates: [a, b, c], rng: &rng)!
            requests += 1
            p.observe(measurement(i, at: t + 0.02, ms: i.name == "a" ? 150 : 20, started: t))
            let w = p.pingsWanted(at: t + 0.02)
            if !w.isEmpty { answerPings(p, w, ["nA": 10, "nB": 20, "nC": 20], start: t + 0.02) }
            t += 5
        }
        #expect(p.probesSent >= 2)
        #expect(Double(p.probesSent) <= 1 + 0.005 * Double(requests))
    }

    @Test("share clauses shape the equal weights")
    func shareClauses() {
        let x = Instance(name: "x", node: "n1", attributes: ["accuracy": 0.97])
        let y = Instance(name: "y", node: "n2", attributes: ["accuracy": 0.90])
        let z = Instance(name: "z", node: "n3")
        let clause = ShareClause(attribute: "accuracy", comparator: .greaterThan, threshold: 0.95, minimumShare: 0.8)
        let w = ShareWeights.weights(for: [x, y, z], clauses: [clause])
        #expect(abs(w[0] - 0.8) < 1e-12 && abs(w[1] - 0.1) < 1e-12 && abs(w[2] - 0.1) < 1e-12)
        #expect(ShareWeights.weights(for: [x, y], clauses: [ShareClause(attribute: "accuracy", comparator: .lessThan, threshold: 0.5, minimumShare: 0.9)]) == [0.5, 0.5])
        var rng = SeededGenerator(seed: 8)
        let pool = [x, y, z].map { PoolCandidate(instance: $0, prediction: Prediction(pOK: 1)) }
        var n = 0
        for _ in 0..<10_000 where EqualShareP2CBalancer().pick(from: pool, shareClauses: [clause], rng: &rng)?.name == "x" { n += 1 }
        #expect(abs(Double(n) / 10_000 - 0.8) < 0.02)
    }

    @Test("under load the balancer takes the less busy of two choices; below the threshold it keeps the weights")
    func p2cUnderLoad() {
        var rng = SeededGenerator(seed: 10)
        let busy = [PoolCandidate(instance: a, prediction: Prediction(pOK: 1), inFlight: 3),
                    PoolCandidate(instance: b, prediction: Prediction(pOK: 1), inFlight: 0)]
        #expect((0..<200).allSatisfy { _ in EqualShareP2CBalancer().pick(from: busy, shareClauses: [], rng: &rng)?.name == "b" })
        let light = [PoolCandidate(instance: a, prediction: Prediction(pOK: 1), inFlight: 1),
                     PoolCandidate(instance: b, prediction: Prediction(pOK: 1), inFlight: 0)]
        var n = 0
        for _ in 0..<4000 where EqualShareP2CBalancer().pick(from: light, shareClauses: [], rng: &rng)?.name == "a" { n += 1 }
        #expect(abs(Double(n) / 4000 - 0.5) < 0.03)
        #expect(EqualShareP2CBalancer().pick(from: [], shareClauses: [], rng: &rng) == nil)
    }
}

@Suite("NodePort")
struct NodePortTests {
    @Test("uniform per request over all instances, proxy bypassed")
    func uniform() {
        let p = NodePortPolicy()
        var rng = SeededGenerator(seed: 9)
        #expect(p.dataPath == .nodePort)
        var counts: [String: Int] = [:]
        for k in 0..<14_000 { counts[p.choose(at: Double(k), candidates: testInstances, rng: &rng)!.name, default: 0] += 1 }
        for i in testInstances { #expect(abs(Double(counts[i.name]!) / 14_000 - 1.0 / 7) < 0.01) }
        #expect(p.choose(at: 0, candidates: [], rng: &rng) == nil)
    }
}
