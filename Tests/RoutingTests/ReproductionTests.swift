import Foundation
import Testing
@testable import Routing

/// The baselines against the scenario file's `model_expectations` and `published_results`, over
/// the file's 20 seeds (one shared run, `Fixtures.report`).
@Suite("Reproduction of the deliverable")
struct ReproductionTests {
    static let baselines = ["nodeport", "proxymity_alpha_0_8", "proxymity_alpha_1_0", "qedgeproxy"]

    @Test("each baseline lands near model_expectations (static ±1 ms / ±1 pp, dynamic ±5 ms / ±3 pp)",
          arguments: [("static", 1.0, 0.01), ("dynamic_default", 5.0, 0.03), ("dynamic_calibrated", 5.0, 0.03)])
    func modelExpectations(key: String, meanTolerance: Double, successTolerance: Double) throws {
        let s = Fixtures.deliverable
        let c = try #require(s.scenarioCase(forKey: key))
        for alg in Self.baselines {
            let expected = try #require(s.modelExpectations?[key]?[alg])
            let row = try #require(Fixtures.report.row(alg, c))
            #expect(row.simulated.seeds.count == 20)
            #expect(abs(row.simulated.meanMs - expected.meanMs) <= meanTolerance,
                    "\(key) \(alg): mean \(row.simulated.meanMs) vs \(expected.meanMs)")
            #expect(abs(row.simulated.successRate - expected.success) <= successTolerance,
                    "\(key) \(alg): success \(row.simulated.successRate) vs \(expected.success)")
            if let sd = expected.meanSdAcrossSeedsMs {
                #expect(abs(row.simulated.meanSdMs - sd) <= 1.5, "\(key) \(alg): sd \(row.simulated.meanSdMs) vs \(sd)")
            }
        }
    }

    @Test("acceptance against published_results: tolerances and dynamic orderings all pass")
    func acceptance() {
        let results = Fixtures.report.acceptance(Fixtures.deliverable)
        #expect(results.count == 24)   // 8 static + 6 default + 6 calibrated checks, 2 × 2 orderings
        for r in results { #expect(r.passed, "\(r)") }
    }

    @Test("QEdgeProxy's min-L mode cannot give the published static mean (why RANDOM_MODE=true)")
    func minLModeFails() throws {
        var p = QEdgeProxyParameters()
        p.randomMode = false
        let context = PolicyContext(ownNode: "worker3", requirement: Fixtures.deliverable.requirement)
        var means: [Double] = []
        for seed in UInt64(0)..<5 {
            let sim = try Simulator(scenario: Fixtures.deliverable, scenarioCase: Fixtures.staticCase, seed: seed) { _ in
                QEdgeProxyPolicy(parameters: p, context: context)
            }
            means.append(sim.run().summary.meanMs)
        }
        let mean = means.reduce(0, +) / 5
        #expect(abs(mean - 26.94) > 5)
        #expect(mean < 8)   // min L is always s3
    }

    @Test("the report renders a row per (case, algorithm) beside the published and model values")
    func render() {
        let text = Fixtures.report.render()
        #expect(text.contains("| static | qedgeproxy |") && text.contains("| 26.94 / 99.86% | 26.70 / 99.95% |"))
        #expect(text.split(separator: "\n").count == 2 + 15)
    }
}

/// Shares and pools the baselines must show (spec §7.4, `expected_behaviour`).
@Suite("Expected behaviour")
struct ExpectedBehaviourTests {
    static let seeds = Array(UInt64(0)..<20)

    static func runs(_ alg: String, _ c: ScenarioCase) throws -> [SimulationResult] {
        try seeds.map { try Simulator(scenario: Fixtures.deliverable, scenarioCase: c, algorithm: alg, seed: $0).run() }
    }

    @Test("QEdgeProxy static: final pool {s3, s4, s5} by 75 s in every seed, s6 gets at most 3 requests")
    func qedgeproxyStatic() throws {
        let e = try #require(Fixtures.deliverable.expectedBehaviour?.qedgeproxy)
        for r in try Self.runs("qedgeproxy", Fixtures.staticCase) {
            #expect(r.finalPools[0] == e.staticFinalPool, "seed \(r.seed)")
            #expect((r.poolTrace.last?.time ?? 0) <= e.staticConvergedByS!, "seed \(r.seed)")
            #expect((r.summary.perInstance["s6"] ?? 0) <= e.staticRequestsToS6Max!, "seed \(r.seed)")
        }
    }

    @Test("QEdgeProxy dynamic: the pools of §7.4 at the end of each phase (default and calibrated)")
    func qedgeproxyDynamic() throws {
        let pools = try #require(Fixtures.deliverable.expectedBehaviour?.qedgeproxy?.dynamicPools)
        let runs = try Self.runs("qedgeproxy", Fixtures.dynamicCase)
        for phase in ["T0", "T1", "T2", "T3", "T4"] {
            let expected = pools[phase]!
            let exact = runs.filter { $0.poolAtPhaseEnd[phase] == expected }.count
            #expect(exact >= 10, "\(phase): \(exact)/20 seeds end with \(expected)")
            // Every seed holds the core of the expected pool (s6 may join early or not at all).
            let core = Set(expected).subtracting(["s6"])
            #expect(runs.allSatisfy { core.isSubset(of: Set($0.poolAtPhaseEnd[phase]!)) }, "\(phase)")
        }
        #expect(runs.allSatisfy { !$0.poolAtPhaseEnd["T2"]!.contains("s3") })
        for r in try Self.runs("qedgeproxy", Fixtures.calibratedCase) {
            #expect(r.poolAtPhaseEnd["T4"] == ["s5", "s6"], "calibrated seed \(r.seed)")
        }
    }

    @Test("proxy-mity α = 1 sends everything to the nearest instance of each phase, reacting within 240 requests")
    func proxymityNearest() throws {
        let b = try #require(Fixtures.deliverable.expectedBehaviour?.proxymity)
        let maxDelay = Double(b.reactionDelayRequestsMax!)
        for r in try Self.runs("proxymity_alpha_1_0", Fixtures.dynamicCase) {
            for p in r.summary.phases {
                let nearest = b.nearestByPhase![p.id]!
                #expect(p.share(nearest) >= 1 - maxDelay / 750, "seed \(r.seed) \(p.id) \(nearest) \(p.share(nearest))")
            }
            #expect(r.summary.phase("T2")!.share("s3") == 1)                 // P2: all misses, no feedback
            #expect(r.summary.phase("T2")!.successRate == 0)
        }
        let st = try Simulator.runSeeds(scenario: Fixtures.deliverable, scenarioCase: Fixtures.staticCase, algorithm: "proxymity_alpha_1_0")
        #expect(st.share("s3") > 0.999)
    }

    @Test("proxy-mity α = 0.8 gives each other instance (1 − α)/n: 2.86% with 7 nodes, 3.33% with 6")
    func proxymityOtherShare() throws {
        let b = try #require(Fixtures.deliverable.expectedBehaviour?.proxymity?.alpha08OtherShare)
        let st = try Simulator.runSeeds(scenario: Fixtures.deliverable, scenarioCase: Fixtures.staticCase, algorithm: "proxymity_alpha_0_8")
        for n in ["s1", "s2", "s4", "s5", "s6", "s7"] { #expect(abs(st.share(n) - b["n7"]!) < 0.004, "\(n) \(st.share(n))") }
        #expect(abs(st.share("s3") - (0.8 + 0.2 / 7)) < 0.01)
        let dy = try Simulator.runSeeds(scenario: Fixtures.deliverable, scenarioCase: Fixtures.dynamicCase, algorithm: "proxymity_alpha_0_8")
        for n in ["s1", "s2", "s5", "s6", "s7"] { #expect(abs(dy.share(n, phase: "T0") - b["n6"]!) < 0.006, "\(n)") }
    }

    @Test("NodePort spreads uniformly over all instances")
    func nodeportUniform() throws {
        let r = try #require(Fixtures.report.row("nodeport", Fixtures.staticCase))
        for i in Fixtures.deliverable.instances { #expect(abs(r.simulated.share(i.name) - 1.0 / 7) < 0.01) }
    }
}

/// aiotwin's own balancer against the project targets (spec §8 target 1).
@Suite("Project targets")
struct ProjectTargetTests {
    @Test("SLO-aware: dynamic success ≥ 99.5% in both variants, in every seed")
    func dynamicSuccess() throws {
        let t = try #require(Fixtures.deliverable.projectTargets?.dynamicSuccessMin)
        for c in [Fixtures.dynamicCase, Fixtures.calibratedCase] {
            let r = try #require(Fixtures.report.row("slo_aware", c))
            #expect(r.simulated.successRate >= t, "\(c) \(r.simulated.successRate)")
            #expect(r.simulated.minSuccessRate >= t, "\(c) worst seed \(r.simulated.minSuccessRate)")
        }
    }

    @Test("SLO-aware: every instance meeting the SLO carries its share (static ≥ 15% each; per phase too)")
    func spreadsLoad() throws {
        let targets = try #require(Fixtures.deliverable.projectTargets)
        let minShare = targets.minSharePerEligibleInstanceStatic!
        let st = try #require(Fixtures.report.row("slo_aware", Fixtures.staticCase)).simulated
        guard case .all(let eligible) = targets.eligibleInstances!["static"]! else { Issue.record("static list"); return }
        for name in eligible { #expect(st.share(name) >= minShare, "\(name) \(st.share(name))") }
        for name in ["s1", "s2", "s7"] { #expect(st.share(name) < 0.001) }
        #expect(st.successRate == 1)

        guard case .byPhase(let byPhase) = targets.eligibleInstances!["dynamic"]! else { Issue.record("dynamic map"); return }
        guard case .all(let calibratedT4) = targets.eligibleInstances!["dynamic_calibrated_T4"]! else { Issue.record("T4 list"); return }
        for c in [Fixtures.dynamicCase, Fixtures.calibratedCase] {
            let dy = try #require(Fixtures.report.row("slo_aware", c)).simulated
            for (phase, names) in byPhase.sorted(by: { $0.key < $1.key }) {
                let eligible = (c.variant == "calibrated" && phase == "T4") ? calibratedT4 : names
                for n in eligible {
                    #expect(dy.share(n, phase: phase) >= 0.8 / Double(eligible.count), "\(c) \(phase) \(n) \(dy.share(n, phase: phase))")
                }
            }
        }
    }

    @Test("SLO-aware keeps its pool to the feasible instances: s1, s2, s7 get only warm-up traffic")
    func feasibleOnly() throws {
        let dy = try #require(Fixtures.report.row("slo_aware", Fixtures.dynamicCase)).simulated
        for n in ["s1", "s2", "s7"] { #expect(dy.share(n) < 0.001) }
    }
}
