import Foundation

/// A QoS-routing scenario file (`schema: aiotwin.qos-scenario/1`, spec §7): topology, instances,
/// latency model, workload, scenarios with phases and events, variants, algorithms and the
/// optional reproduction sections (published results, model expectations, acceptance, expected
/// behaviour, project targets, constraints, provenance).
///
/// Loading is strict: an unknown key at any level, a missing required key or an invalid value is
/// a ``ScenarioError`` that names the file and the key path.
public struct Scenario: Sendable, Codable {
    /// The only schema this loader accepts.
    public static let schemaID = "aiotwin.qos-scenario/1"

    public var schema: String
    public var name: String
    public var source: String?
    public var slo: SLOSpec
    public var topology: Topology
    public var instances: [InstanceSpec]
    public var latencyModel: LatencyModel
    public var workload: Workload
    /// Scenario definitions by name, in file order.
    public var scenarios: OrderedMap<ScenarioDefinition>
    /// Variants by name, in file order.
    public var variants: OrderedMap<Variant>?
    /// Algorithms by name, in file order.
    public var algorithms: OrderedMap<AlgorithmSpec>?
    /// Published results: scenario name → algorithm name → result.
    public var publishedResults: [String: [String: ResultPoint]]?
    public var acceptance: Acceptance?
    /// Model expectations: case key (`static`, `dynamic_default`, ...) → algorithm → result.
    public var modelExpectations: [String: [String: ResultPoint]]?
    public var expectedBehaviour: ExpectedBehaviour?
    public var projectTargets: ProjectTargets?
    public var constraints: [ConstraintSpec]?
    public var provenance: Provenance?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schema, name, source, slo, topology, instances, workload, scenarios, variants, algorithms
        case acceptance, constraints, provenance
        case latencyModel = "latency_model", publishedResults = "published_results"
        case modelExpectations = "model_expectations", expectedBehaviour = "expected_behaviour"
        case projectTargets = "project_targets"
    }

    // MARK: Loading

    /// Decodes and validates a scenario from YAML text; `fileName` prefixes error messages.
    public static func decode(yaml: String, fileName: String = "scenario.yaml") throws -> Scenario {
        do {
            let scenario = try StrictYAML.decode(Scenario.self, from: yaml)
            try scenario.validate()
            return scenario
        } catch let error as FieldError {
            throw ScenarioError.field(file: fileName, error)
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError.unreadable(file: fileName, reason: "not valid YAML: \(error)")
        }
    }

    /// Loads and validates the scenario file at `url`.
    public static func load(contentsOf url: URL) throws -> Scenario {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ScenarioError.unreadable(file: url.lastPathComponent, reason: "cannot read: \(error.localizedDescription)")
        }
        return try decode(yaml: text, fileName: url.lastPathComponent)
    }

    // MARK: Derived values

    /// The service's requirement from the `slo` section.
    public var requirement: QoSRequirement { slo.requirement }

    /// The instance named `name`.
    public func instance(named name: String) -> InstanceSpec? { instances.first { $0.name == name } }

    /// R(i): the mean warm proxied response of instance `name` (YAML header):
    /// `client_to_proxy_ms + proxy_overhead_ms + rtt_ms(node) + pod_hop_rtt_ms + service_ms
    /// + (cross_node_overhead_ms if node != proxy_node)`.
    public func warmProxiedResponseMs(_ name: String) throws -> Double {
        guard let inst = instance(named: name), let node = topology.node(named: inst.node) else {
            throw ScenarioError.field(file: self.name, .invalid(path: "instances", reason: "unknown instance '\(name)'"))
        }
        let m = latencyModel
        return topology.client.clientToProxyMs + m.proxyOverheadMs + node.rttMs + m.podHopRttMs + inst.serviceMs
            + (inst.node != topology.proxyNode ? m.crossNodeOverheadMs : 0)
    }

    /// The phases of scenario `name` with the events of `variant` substituted
    /// (`variants.<variant>.replace_events.<phase id>` replaces that phase's event list).
    public func phases(of name: String, variant: String? = nil) throws -> [Phase] {
        guard let def = scenarios[name] else { throw ScenarioError.unknownScenario(name) }
        guard let variant else { return def.phases }
        guard let v = variants?[variant] else { throw ScenarioError.unknownVariant(variant) }
        return def.phases.map { phase in
            var p = phase
            if let events = v.replaceEvents[phase.id] { p.events = events }
            return p
        }
    }

    /// The scenario case named by a file key (`static`, `dynamic_default`, `dynamic_calibrated`).
    public func scenarioCase(forKey key: String) -> ScenarioCase? {
        ScenarioCase(key: key, scenarios: scenarios.keys, variants: variants?.keys ?? [])
    }

    /// Names of the algorithms in the file, in file order.
    public var algorithmNames: [String] { algorithms?.keys ?? [] }

    // MARK: Validation

    /// Checks values and cross-references; throws ``FieldError``.
    func validate() throws {
        func bad(_ path: String, _ reason: String) -> FieldError { .invalid(path: path, reason: reason) }
        guard schema == Self.schemaID else { throw bad("schema", "expected '\(Self.schemaID)', got '\(schema)'") }

        // SLO
        guard slo.tauMs > 0, slo.tauMs.isFinite else { throw bad("slo.tau_ms", "must be > 0") }
        guard slo.rho > 0, slo.rho <= 1 else { throw bad("slo.rho", "must be in (0, 1]") }
        guard slo.windowS > 0 else { throw bad("slo.window_s", "must be > 0") }
        guard slo.errorsCountAsFailure else { throw bad("slo.errors_count_as_failure", "only true is supported") }
        for (i, c) in (slo.shareClauses ?? []).enumerated() {
            guard c.minimumShare >= 0, c.minimumShare <= 1 else { throw bad("slo.share_clauses[\(i)].minimum_share", "must be in [0, 1]") }
        }
        guard slo.scopeOfPublishedFraction == "whole_run" else {
            throw bad("slo.scope_of_published_fraction", "only 'whole_run' is supported")
        }

        // Topology
        var nodeNames = Set<String>()
        for (i, n) in topology.nodes.enumerated() {
            guard nodeNames.insert(n.name).inserted else { throw bad("topology.nodes[\(i)].name", "duplicate node '\(n.name)'") }
            guard n.rttMs >= 0, n.rttMs.isFinite else { throw bad("topology.nodes[\(i)].rtt_ms", "must be ≥ 0") }
        }
        guard nodeNames.contains(topology.proxyNode) else { throw bad("topology.proxy_node", "unknown node '\(topology.proxyNode)'") }
        guard nodeNames.contains(topology.client.attachedTo) else {
            throw bad("topology.client.attached_to", "unknown node '\(topology.client.attachedTo)'")
        }
        guard topology.client.clientToProxyMs >= 0 else { throw bad("topology.client.client_to_proxy_ms", "must be ≥ 0") }

        // Instances
        var instanceNames = Set<String>()
        for (i, inst) in instances.enumerated() {
            guard instanceNames.insert(inst.name).inserted else { throw bad("instances[\(i)].name", "duplicate instance '\(inst.name)'") }
            guard nodeNames.contains(inst.node) else { throw bad("instances[\(i)].node", "unknown node '\(inst.node)'") }
            guard inst.serviceMs >= 0, inst.serviceMs.isFinite else { throw bad("instances[\(i)].service_ms", "must be ≥ 0") }
        }

        // Latency model
        let m = latencyModel
        for (path, v) in [("latency_model.pod_hop_rtt_ms", m.podHopRttMs), ("latency_model.proxy_overhead_ms", m.proxyOverheadMs),
                          ("latency_model.cross_node_overhead_ms", m.crossNodeOverheadMs),
                          ("latency_model.new_connection.extra_round_trips", m.newConnection.extraRoundTrips),
                          ("latency_model.new_connection.idle_timeout_s", m.newConnection.idleTimeoutS),
                          ("latency_model.jitter.sigma_ms", m.jitter.sigmaMs), ("latency_model.min_response_ms", m.minResponseMs),
                          ("latency_model.ping.overhead_ms", m.ping.overheadMs), ("latency_model.ping.noise_sigma_ms", m.ping.noiseSigmaMs),
                          ("latency_model.ping.round_trips_warm", m.ping.roundTripsWarm),
                          ("latency_model.ping.round_trips_cold", m.ping.roundTripsCold),
                          ("latency_model.nodeport.extra_ms", m.nodeport.extraMs)] {
            guard v >= 0, v.isFinite else { throw bad(path, "must be a number ≥ 0 (got \(v))") }
        }
        guard m.jitter.meanMs.isFinite else { throw bad("latency_model.jitter.mean_ms", "must be finite") }
        guard m.jitter.truncateAtSigmas > 0 else { throw bad("latency_model.jitter.truncate_at_sigmas", "must be > 0") }
        guard m.nodeport.connectionCostIncludedInExtra else {
            throw bad("latency_model.nodeport.connection_cost_included_in_extra", "only true is supported")
        }

        // Workload
        guard workload.ratePerS > 0, workload.ratePerS.isFinite else { throw bad("workload.rate_per_s", "must be > 0") }
        guard workload.seeds >= 1 else { throw bad("workload.seeds", "must be ≥ 1") }
        guard workload.firstSeed >= 0 else { throw bad("workload.first_seed", "must be ≥ 0") }
        guard workload.bodyBytes >= 0 else { throw bad("workload.body_bytes", "must be ≥ 0") }

        // Scenarios
        guard !scenarios.isEmpty else { throw bad("scenarios", "at least one scenario is needed") }
        func checkEvents(_ events: [ScenarioEvent], _ path: String) throws {
            for (k, e) in events.enumerated() {
                if let i = e.instance, !instanceNames.contains(i) { throw bad("\(path)[\(k)].instance", "unknown instance '\(i)'") }
                if case .nodeRttAdd(let n, _) = e, !nodeNames.contains(n) { throw bad("\(path)[\(k)].node", "unknown node '\(n)'") }
            }
        }
        for (name, def) in scenarios.entries {
            let base = "scenarios.\(name)"
            guard def.requests > 0 else { throw bad("\(base).requests", "must be > 0") }
            for (i, inst) in def.initialInstances.enumerated() where !instanceNames.contains(inst) {
                throw bad("\(base).initial_instances[\(i)]", "unknown instance '\(inst)'")
            }
            guard Set(def.initialInstances).count == def.initialInstances.count else {
                throw bad("\(base).initial_instances", "duplicate instance")
            }
            guard let first = def.phases.first else { throw bad("\(base).phases", "at least one phase is needed") }
            guard first.startRequest == 0 else { throw bad("\(base).phases[0].start_request", "the first phase must start at request 0") }
            var ids = Set<String>()
            for (i, p) in def.phases.enumerated() {
                guard ids.insert(p.id).inserted else { throw bad("\(base).phases[\(i)].id", "duplicate phase id '\(p.id)'") }
                if i > 0, p.startRequest <= def.phases[i - 1].startRequest {
                    throw bad("\(base).phases[\(i)].start_request", "must be greater than the previous phase's")
                }
                guard p.startRequest < def.requests else { throw bad("\(base).phases[\(i)].start_request", "must be < requests (\(def.requests))") }
                try checkEvents(p.events, "\(base).phases[\(i)].events")
            }
        }

        // Variants
        let allPhaseIDs = Set(scenarios.entries.flatMap { $0.value.phases.map(\.id) })
        for (name, v) in variants?.entries ?? [] {
            for phase in v.replaceEvents.keys.sorted() {
                guard allPhaseIDs.contains(phase) else { throw bad("variants.\(name).replace_events.\(phase)", "unknown phase '\(phase)'") }
                try checkEvents(v.replaceEvents[phase]!, "variants.\(name).replace_events.\(phase)")
            }
        }

        // Reproduction sections
        let algorithmNames = Set(algorithms?.keys ?? [])
        func checkPoints(_ section: String, _ map: [String: [String: ResultPoint]]?, caseKeys: Bool) throws {
            for key in (map ?? [:]).keys.sorted() {
                if caseKeys {
                    guard scenarioCase(forKey: key) != nil else { throw bad("\(section).\(key)", "unknown scenario case '\(key)'") }
                } else {
                    guard scenarios[key] != nil else { throw bad("\(section).\(key)", "unknown scenario '\(key)'") }
                }
                for alg in map![key]!.keys.sorted() {
                    guard algorithmNames.contains(alg) else { throw bad("\(section).\(key).\(alg)", "unknown algorithm '\(alg)'") }
                    let p = map![key]![alg]!
                    guard p.success >= 0, p.success <= 1 else { throw bad("\(section).\(key).\(alg).success", "must be in [0, 1]") }
                    guard p.meanMs >= 0 else { throw bad("\(section).\(key).\(alg).mean_ms", "must be ≥ 0") }
                }
            }
        }
        try checkPoints("published_results", publishedResults, caseKeys: false)
        try checkPoints("model_expectations", modelExpectations, caseKeys: true)
        if let a = acceptance {
            for (key, t) in a.tolerances.entries {
                guard scenarioCase(forKey: key) != nil else { throw bad("acceptance.\(key)", "unknown scenario case '\(key)'") }
                guard t.meanAbsMs >= 0 else { throw bad("acceptance.\(key).mean_abs_ms", "must be ≥ 0") }
                guard t.successAbs >= 0 else { throw bad("acceptance.\(key).success_abs", "must be ≥ 0") }
                for (i, alg) in (t.exclude ?? []).enumerated() where !algorithmNames.contains(alg) {
                    throw bad("acceptance.\(key).exclude[\(i)]", "unknown algorithm '\(alg)'")
                }
            }
            for (scenario, o) in a.orderings.entries {
                guard scenarios[scenario] != nil else { throw bad("acceptance.\(scenario)_orderings", "unknown scenario '\(scenario)'") }
                for (field, list) in [("success_descending", o.successDescending ?? []), ("mean_ascending", o.meanAscending ?? [])] {
                    for (i, alg) in list.enumerated() where !algorithmNames.contains(alg) {
                        throw bad("acceptance.\(scenario)_orderings.\(field)[\(i)]", "unknown algorithm '\(alg)'")
                    }
                }
            }
        }
        for (i, c) in (constraints ?? []).enumerated() {
            let kinds = [c.valueMs != nil, c.value != nil, c.greaterThanMs != nil, c.lessThanMs != nil].filter { $0 }.count
            guard kinds == 1 else {
                throw bad("constraints[\(i)]", "needs exactly one of value_ms, value, greater_than_ms, less_than_ms")
            }
            if c.toleranceMs != nil, c.valueMs == nil { throw bad("constraints[\(i)].tolerance_ms", "only with value_ms") }
            _ = try ConstraintCheck.evaluate(c.quantity, in: self, path: "constraints[\(i)].quantity")
        }
    }
}
