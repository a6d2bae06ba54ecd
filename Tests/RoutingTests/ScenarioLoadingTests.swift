import Foundation
import Testing
@testable import Routing

@Suite("Scenario loading")
struct ScenarioLoadingTests {
    @Test("the reference file loads with every section")
    func loadsReference() throws {
        let s = Fixtures.deliverable
        #expect(s.name == "deliverable-qedgeproxy-evaluation")
        #expect(s.instances.map(\.name) == ["s1", "s2", "s3", "s4", "s5", "s6", "s7"])
        #expect(s.topology.nodes.count == 7)
        #expect(s.scenarios.keys == ["static", "dynamic"])
        #expect(s.variants?.keys == ["calibrated", "t4_one_way_delay", "crash_instead_of_delete"])
        #expect(s.algorithmNames == ["nodeport", "proxymity_alpha_1_0", "proxymity_alpha_0_8", "qedgeproxy"])
        #expect(s.publishedResults?["static"]?["qedgeproxy"] == ResultPoint(meanMs: 26.94, success: 0.9986))
        #expect(s.modelExpectations?["dynamic_default"]?["qedgeproxy"]?.meanSdAcrossSeedsMs == 3.6)
        #expect(s.acceptance?.tolerances["dynamic_calibrated"]?.meanAbsMs == 3.0)
        #expect(s.acceptance?.orderings["dynamic"]?.meanAscending == ["qedgeproxy", "proxymity_alpha_1_0", "proxymity_alpha_0_8"])
        #expect(s.expectedBehaviour?.qedgeproxy?.staticFinalPool == ["s3", "s4", "s5"])
        #expect(s.expectedBehaviour?.proxymity?.alpha08OtherShare?["n7"] == 0.0286)
        #expect(s.projectTargets?.dynamicSuccessMin == 0.995)
        #expect(s.projectTargets?.eligibleInstances?["dynamic_calibrated_T4"] == .all(["s5", "s6"]))
        #expect(s.constraints?.count == 8)
        #expect(s.provenance?.assumption?.contains("slo.rho") == true)
        #expect(s.requirement == QoSRequirement(tauMs: 80, rho: 0.99, windowS: 60, comparison: .lessThan))
        guard case .qedgeproxy(let q) = s.algorithms?["qedgeproxy"] else { Issue.record("qedgeproxy kind"); return }
        #expect(q.latWeight == 0.3 && q.realDataValidS == 60 && q.randomMode && q.stateKey == .node)
        guard case .proxymity(let p) = s.algorithms?["proxymity_alpha_0_8"] else { Issue.record("proxymity kind"); return }
        #expect(p.alpha == 0.8 && p.temperatureMs == 2 && p.latencyFloorMs == 3 && p.refreshPeriodS == 120)
    }

    @Test("the embedded fixture equals the shared reference file")
    func fixtureMatchesShared() throws {
        guard let url = Fixtures.sharedReferenceURL else { return }
        #expect(try String(contentsOf: url, encoding: .utf8) == Fixtures.deliverableYAML)
        _ = try Scenario.load(contentsOf: url)
    }

    @Test("unknown keys are rejected at every level, naming the key path",
          arguments: [
            ("latency_model:\n", "latency_model:\n  foo: 1\n", "scenario.yaml: unknown key 'latency_model.foo'"),
            ("schema: aiotwin", "colour: red\nschema: aiotwin", "scenario.yaml: unknown key 'colour'"),
            ("{name: s3, node: worker3, service_ms: 5.0}", "{name: s3, node: worker3, service_ms: 5.0, gpu: 1}",
             "scenario.yaml: unknown key 'instances[2].gpu'"),
            ("  jitter:\n", "  jitter:\n    skew: 0\n", "scenario.yaml: unknown key 'latency_model.jitter.skew'"),
            ("{type: instance_add, instance: s3, ready_delay_s: 0.0}", "{type: instance_add, instance: s3, ready_delay_s: 0.0, add_ms: 1}",
             "scenario.yaml: unknown key 'scenarios.dynamic.phases[1].events[0].add_ms'"),
            ("    lat_weight: 0.3", "    lat_weight: 0.3\n    lat_wieght: 0.3", "scenario.yaml: unknown key 'algorithms.qedgeproxy.lat_wieght'"),
            ("  nodeport:\n    kind: nodeport", "  nodeport:\n    kind: nodeport\n    alpha: 1", "scenario.yaml: unknown key 'algorithms.nodeport.alpha'"),
            ("    static_final_pool:", "    static_pool: []\n    static_final_pool:", "scenario.yaml: unknown key 'expected_behaviour.qedgeproxy.static_pool'"),
            ("qedgeproxy:          {mean_ms: 26.7,  success: 0.9995}", "qedgeproxy:          {mean_ms: 26.7,  success: 0.9995, p99: 1}",
             "scenario.yaml: unknown key 'model_expectations.static.qedgeproxy.p99'"),
            ("  static:           {mean_abs_ms: 1.0,  success_abs: 0.010}", "  static:           {mean_abs_ms: 1.0,  success_abs: 0.010, p: 1}",
             "scenario.yaml: unknown key 'acceptance.static.p'"),
            ("provenance:\n", "provenance:\n  folklore: [x]\n", "scenario.yaml: unknown key 'provenance.folklore'"),
            ("  - {quantity: \"R(s3)\",", "  - {unit: ms, quantity: \"R(s3)\",", "scenario.yaml: unknown key 'constraints[0].unit'"),
            ("  dynamic_success_min: 0.995", "  dynamic_success_min: 0.995\n  colour: 1", "scenario.yaml: unknown key 'project_targets.colour'"),
            ("      The results discussion", "      The results discussion", nil),
          ] as [(String, String, String?)])
    func rejectsUnknownKeys(old: String, new: String, message: String?) {
        #expect(Fixtures.loadError(Fixtures.yaml(replacing: old, with: new)) == message)
    }

    @Test("a variant key other than description and replace_events is rejected")
    func rejectsUnknownVariantKey() {
        let yaml = Fixtures.yaml(replacing: "  t4_one_way_delay:\n", with: "  t4_one_way_delay:\n    scale: 2\n")
        #expect(Fixtures.loadError(yaml) == "scenario.yaml: unknown key 'variants.t4_one_way_delay.scale'")
    }

    @Test("invalid values are errors naming the field",
          arguments: [
            ("rate_per_s: 2.0", "rate_per_s: -2.0", "workload.rate_per_s"),
            ("tau_ms: 80 ", "tau_ms: fast ", "slo.tau_ms"),
            ("comparison: less_than", "comparison: roughly", "slo.comparison"),
            ("{name: s4, node: worker4, service_ms: 5.0}", "{name: s4, node: worker44, service_ms: 5.0}", "instances[3].node"),
            ("{type: service_time_add, instance: s3, add_ms: 100.0}", "{type: service_time_grow, instance: s3, add_ms: 100.0}",
             "scenarios.dynamic.phases[2].events[0].type"),
            ("{type: node_rtt_add, node: worker1, add_ms: 100.0}", "{type: node_rtt_add, node: worker9, add_ms: 100.0}",
             "scenarios.dynamic.phases[4].events[0].node"),
            ("    kind: qedgeproxy", "    kind: qedgeproxyy", "algorithms.qedgeproxy.kind"),
            ("    lat_weight: 0.3", "    lat_weight: 1.3", "algorithms.qedgeproxy.lat_weight"),
            ("    response_feedback: false\n    n_counts: distinct_nodes_in_pass\n  proxymity_alpha_0_8:",
             "    response_feedback: true\n    n_counts: distinct_nodes_in_pass\n  proxymity_alpha_0_8:",
             "algorithms.proxymity_alpha_1_0.response_feedback"),
            ("      start_request: 1500", "      start_request: 700", "scenarios.dynamic.phases[2].start_request"),
            ("schema: aiotwin.qos-scenario/1", "schema: aiotwin.qos-scenario/2", "schema"),
            ("    T2:\n        - {type: service_time_add, instance: s3, add_ms: 112.0}",
             "    T9:\n        - {type: service_time_add, instance: s3, add_ms: 112.0}", "variants.calibrated.replace_events.T9"),
            ("    proxymity_alpha_0_8: {mean_ms: 20.29,  success: 0.9101}", "    proxymity_alpha_0_9: {mean_ms: 20.29,  success: 0.9101}",
             "published_results.static.proxymity_alpha_0_9"),
            ("  - {quantity: \"R(s3)\",", "  - {quantity: \"R(s9)\",", "constraints[0].quantity"),
            ("  seeds: 20\n", "", "workload.seeds"),
          ] as [(String, String, String)])
    func rejectsBadValues(old: String, new: String, path: String) throws {
        let message = try #require(Fixtures.loadError(Fixtures.yaml(replacing: old, with: new)))
        #expect(message.hasPrefix("scenario.yaml: "))
        #expect(message.contains("'\(path)'"), "\(message)")
    }

    @Test("not YAML, or an unreadable file, is a clear error")
    func unreadable() {
        #expect(Fixtures.loadError("schema: [unclosed")?.hasPrefix("scenario.yaml: not valid YAML") == true)
        #expect(throws: ScenarioError.self) { try Scenario.load(contentsOf: URL(fileURLWithPath: "/nonexistent/x.yaml")) }
    }

    @Test("a user's scenario needs none of the reproduction sections")
    func optionalSections() throws {
        let text = Fixtures.deliverableYAML
        let cut = text.range(of: "algorithms:\n")!.lowerBound
        let s = try Scenario.decode(yaml: String(text[..<cut]))
        #expect(s.algorithms == nil && s.publishedResults == nil && s.constraints == nil && s.provenance == nil)
        #expect(try ConstraintCheck.check(s).isEmpty)
        #expect(try PolicyFactory.make(name: "slo_aware", scenario: s).name == "slo_aware")
        #expect(throws: ScenarioError.unknownAlgorithm("qedgeproxy")) { try PolicyFactory.make(name: "qedgeproxy", scenario: s) }
    }

    @Test("variants replace the named phases' events, and only those")
    func variants() throws {
        let s = Fixtures.deliverable
        let base = try s.phases(of: "dynamic")
        let cal = try s.phases(of: "dynamic", variant: "calibrated")
        #expect(cal[2].events == [.serviceTimeAdd(instance: "s3", addMs: 112)])
        #expect(cal[4].events == [.nodeRttAdd(node: "worker4", addMs: 100)])
        #expect(cal[1].events == base[1].events && cal[3].events == base[3].events)
        #expect(base[4].events == [.nodeRttAdd(node: "worker1", addMs: 100)])
        let crash = try s.phases(of: "dynamic", variant: "crash_instead_of_delete")
        #expect(crash[3].events == [.instanceFail(instance: "s3", mode: .connectionRefused)])
        #expect(throws: ScenarioError.unknownVariant("nope")) { try s.phases(of: "dynamic", variant: "nope") }
        #expect(throws: ScenarioError.unknownScenario("nope")) { try s.phases(of: "nope") }
        #expect(s.scenarioCase(forKey: "dynamic_calibrated") == Fixtures.calibratedCase)
        #expect(s.scenarioCase(forKey: "dynamic_default") == Fixtures.dynamicCase)
        #expect(s.scenarioCase(forKey: "dynamic_bogus") == nil)
    }
}

@Suite("Constraints")
struct ConstraintTests {
    @Test("every constraint of the reference file holds for its latency model")
    func referenceHolds() throws {
        let results = try ConstraintCheck.check(Fixtures.deliverable)
        #expect(results.count == 8)
        for r in results { #expect(r.holds, "\(r)") }
    }

    @Test("R(i) follows the header formula; the warm responses of expected_behaviour match")
    func warmResponses() throws {
        let s = Fixtures.deliverable
        for (name, expected) in s.expectedBehaviour?.warmProxiedResponseMs ?? [:] {
            #expect(abs(try s.warmProxiedResponseMs(name) - expected) < 1e-9, "\(name)")
        }
        #expect(try ConstraintCheck.evaluate("mean over instances of R", in: s) == 540.54 / 7)
        #expect(try ConstraintCheck.evaluate("count R < tau_ms", in: s) == 4)
        #expect(try ConstraintCheck.evaluate("R(s6) + rtt(worker6) + pod_hop_rtt_ms", in: s) == 127.72)
    }

    @Test("a latency model that breaks the published relations fails the check")
    func brokenModelFails() throws {
        let s = try Scenario.decode(yaml: Fixtures.yaml(replacing: "extra_ms: 42.9", with: "extra_ms: 55.0"))
        let failing = try ConstraintCheck.check(s).filter { !$0.holds }.map(\.constraint.quantity)
        #expect(failing == ["nodeport.extra_ms", "count R + nodeport.extra_ms < tau_ms"])
        let slow = try Scenario.decode(yaml: Fixtures.yaml(replacing: "{name: s4, node: worker4, service_ms: 5.0}",
                                                          with: "{name: s4, node: worker4, service_ms: 9.0}"))
        #expect(try ConstraintCheck.check(slow).filter { !$0.holds }.map(\.constraint.quantity) == ["R(s4) + R(s5)"])
    }
}
