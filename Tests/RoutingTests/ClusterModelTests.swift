import Foundation
import Testing
@testable import Routing

@Suite("Emulation: the latency model of the loopback cluster")
struct ClusterModelTests {
    /// The deliverable without jitter and ping noise, so delays are exact.
    static func quietScenario() -> Scenario {
        var s = Fixtures.deliverable
        s.latencyModel.jitter.sigmaMs = 0
        s.latencyModel.ping.noiseSigmaMs = 0
        return s
    }

    static func model(warm: Bool = false, nodePort: Bool = false) -> ClusterModel {
        ClusterModel(scenario: quietScenario(), seed: 0, warmConnections: warm, nodePort: nodePort)
    }

    @Test("a warm request takes R(i) minus the real proxy's part (client hop and proxy overhead)")
    func warmResponse() throws {
        let scenario = Self.quietScenario()
        var m = Self.model()
        m.apply(.show(instance: "s4"), at: 0)
        let cold = m.admit("s4", at: 1)
        #expect(cold.cold)
        m.release("s4", at: 1.05)
        let warm = m.admit("s4", at: 2)
        #expect(!warm.cold)
        let o = scenario.latencyModel.proxyOverheadMs + scenario.topology.client.clientToProxyMs
        #expect(abs(warm.delayMs - (try scenario.warmProxiedResponseMs("s4") - o)) < 1e-9)
        // The handshake costs extra_round_trips · (r + h).
        #expect(abs(cold.delayMs - warm.delayMs - 20.3) < 1e-9)
        // s3 is on the proxy node: no cross-node overhead.
        m.apply(.show(instance: "s3"), at: 0)
        _ = m.admit("s3", at: 3); m.release("s3", at: 3.01)
        #expect(abs(m.admit("s3", at: 4).delayMs - 5.3) < 1e-9)
    }

    @Test("idle connections go cold after idle_timeout_s; warm connections never after readyAt")
    func coldRule() {
        var m = Self.model()
        m.apply(.show(instance: "s5"), at: 0)
        #expect(m.admit("s5", at: 1).cold)
        m.release("s5", at: 1.1)
        #expect(!m.admit("s5", at: 50).cold)
        m.release("s5", at: 50.1)
        #expect(m.admit("s5", at: 200).cold)  // idle 150 s > 90 s
        m.release("s5", at: 200.1)

        var w = Self.model(warm: true)
        w.apply(.show(instance: "s5"), at: 10)
        #expect(w.admit("s5", at: 10.01).cold)  // before the pre-opened connection is ready (r + h = 40.3 ms)
        w.release("s5", at: 10.2)
        #expect(!w.admit("s5", at: 10.5).cold)
        w.release("s5", at: 10.6)
        #expect(!w.admit("s5", at: 1000).cold)
    }

    @Test("the FIFO queue runs on the scenario clock; overload and RTT changes apply")
    func queueAndEvents() {
        var m = Self.model(warm: true)
        m.apply(.show(instance: "s3"), at: 0)
        let first = m.admit("s3", at: 1)
        let second = m.admit("s3", at: 1.002)  // 2 ms later, the server is busy for 3 more ms
        #expect(first.waitMs == 0)
        #expect(abs(second.waitMs - 3) < 1e-9)
        #expect(abs(second.delayMs - first.delayMs - 3) < 1e-9)
        let later = m.admit("s3", at: 2)
        #expect(later.waitMs == 0)

        m.apply(.addServiceTime(instance: "s3", ms: 100), at: 3)
        #expect(abs(m.admit("s3", at: 3).delayMs - 105.3) < 1e-9)
        m.apply(.deploy(instance: "s3"), at: 4)  // a new pod has the base service time
        #expect(abs(m.admit("s3", at: 5).delayMs - 5.3) < 1e-9)

        m.apply(.show(instance: "s1"), at: 0)
        let before = m.admit("s1", at: 6).delayMs
        m.apply(.addRTT(node: "worker1", ms: 100), at: 7)
        #expect(abs(m.admit("s1", at: 8).delayMs - before - 100) < 1e-9)
    }

    @Test("NodePort adds nodeport.extra_ms and is never cold")
    func nodePort() throws {
        let scenario = Self.quietScenario()
        var m = Self.model(nodePort: true)
        m.apply(.show(instance: "s4"), at: 0)
        let plan = m.admit("s4", at: 1)
        #expect(!plan.cold)
        #expect(abs(plan.delayMs - (26.7 + scenario.latencyModel.nodeport.extraMs)) < 1e-9)
    }

    @Test("pings: two round trips when cold, one when warm, plus the overhead")
    func pings() {
        var m = Self.model()
        #expect(abs(m.pingDurationMs("worker4", at: 0) - 40.5) < 1e-9)
        m.pingEnded("worker4", at: 0.05)
        #expect(abs(m.pingDurationMs("worker4", at: 1) - 20.5) < 1e-9)
        m.pingEnded("worker4", at: 1.05)
        #expect(abs(m.pingDurationMs("worker4", at: 100) - 40.5) < 1e-9)
        m.apply(.addRTT(node: "worker4", ms: 100), at: 100)
        m.pingEnded("worker4", at: 100)
        #expect(abs(m.pingDurationMs("worker4", at: 101) - 120.5) < 1e-9)
        // With noise, the duration is never below the noiseless one.
        var noisy = ClusterModel(scenario: Fixtures.deliverable, seed: 1, warmConnections: false, nodePort: false)
        #expect((0..<50).allSatisfy { _ in noisy.pingDurationMs("worker5", at: 0) >= 80.5 })
    }

    @Test("jitter is N(0, σ) truncated at ±kσ")
    func jitter() {
        var m = ClusterModel(scenario: Fixtures.deliverable, seed: 2, warmConnections: true, nodePort: false)
        m.apply(.show(instance: "s4"), at: 0)
        var delays: [Double] = []
        for i in 0..<2000 {
            let t = 1 + Double(i)
            delays.append(m.admit("s4", at: t).delayMs)
            m.release("s4", at: t + 0.05)
        }
        #expect(delays.allSatisfy { abs($0 - 26.7) <= 3 + 1e-9 })
        let mean = delays.reduce(0, +) / Double(delays.count)
        #expect(abs(mean - 26.7) < 0.1)
        #expect(Set(delays).count > 1000)
    }

    @Test("load outcomes become records with the simulator's meanings")
    func outcomeRecords() {
        let requirement = QoSRequirement(tauMs: 80)
        func outcome(_ status: Int?, _ ms: Double?, instance: String? = "s4", receiver: String? = "s4") -> RequestRecord {
            LoadOutcome(index: 3, sentAt: 1.5, phase: 1, status: status, elapsedMs: ms, instance: instance, receiver: receiver, cold: false)
                .record(requirement: requirement)
        }
        let ok = outcome(200, 27)
        #expect(ok.success && ok.instance == "s4" && ok.responseMs == 27 && !ok.transportError)
        #expect(ok.index == 3 && ok.time == 1.5 && ok.phase == 1)
        #expect(!outcome(200, 80).success)  // strict <
        let unrouted = outcome(503, 1, instance: nil, receiver: nil)
        #expect(unrouted.instance == nil && unrouted.responseMs == nil && !unrouted.success && !unrouted.transportError)
        let reset = outcome(502, 3, instance: nil, receiver: "s3")
        #expect(reset.transportError && reset.instance == "s3" && !reset.success && reset.responseMs == 3)
        let lost = outcome(nil, nil, instance: nil, receiver: nil)
        #expect(lost.transportError && !lost.success && lost.instance == nil)
        #expect(!outcome(500, 10).success)
    }

    @Test("the comparison lists the statistics and every instance's share with differences")
    func comparison() throws {
        func record(_ k: Int, _ instance: String?, _ ms: Double?, _ ok: Bool) -> RequestRecord {
            RequestRecord(index: k, proxy: 0, time: Double(k), phase: 0, instance: instance, responseMs: ms, success: ok,
                          transportError: false, coldConnection: false)
        }
        let e = SimulationSummary(records: [record(0, "s3", 10, true), record(1, "s4", 30, true)], phaseIDs: ["S"])
        let s = SimulationSummary(records: [record(0, "s4", 20, true), record(1, "s5", 90, false)], phaseIDs: ["S"])
        let c = SummaryComparison(emulated: e, simulated: s)
        #expect(c.rows.map(\.key) == ["success_rate", "mean_response_ms", "p50_ms", "p99_ms", "share:s3", "share:s4", "share:s5"])
        #expect(try #require(c.row("success_rate")).difference == 0.5)
        #expect(try #require(c.row("mean_response_ms")).difference == 20 - 55)
        #expect(c.shares["s3"]?.difference == 0.5)
        #expect(c.shares["s4"]?.difference == 0)
        #expect(c.shares["s5"]?.difference == -0.5)
        #expect(c.maxShareDifference == 0.5)
    }
}
