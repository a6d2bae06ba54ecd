import Foundation
#if canImport(Learning)
import Learning
#endif

/// A deterministic discrete-event simulator of the QoS-routing scenarios (spec §7.2).
///
/// Requests arrive as a Poisson process (`workload.rate_per_s`) and are numbered from 0; before
/// request `k` is routed, the events of the phase starting at `k` are applied. A request proxied
/// from the proxy node to instance `i` on node `n` takes
///
/// `resp = c + o + [cold]·(r_n+h)·extra_round_trips + (r_n+h) + q_i + s_i + [n≠proxy]·x + j`,
///
/// where `q_i` is the wait in the instance's FIFO single-server queue (the request reaches the
/// server `c + o + [cold]·(r_n+h) + (r_n+h)/2` after its arrival), `j` is normal jitter truncated
/// at ±k·σ (rejection sampling) and `resp ≥ min_response_ms`. A connection is *cold* on its first
/// use or when it was idle (no request outstanding) for more than `idle_timeout_s`; a policy that
/// ``RoutingPolicy/wantsWarmConnections`` gets connections opened when an instance appears
/// (ready after one `r_n+h`) and kept alive. The NodePort path (``DataPath/nodePort``) is the
/// warm proxied response plus `nodeport.extra_ms`, never cold.
///
/// Pings requested by a policy are run sequentially per proxy: `(cold ? round_trips_cold :
/// round_trips_warm)·r_n + overhead_ms + |N(0, noise_sigma_ms)|`, reported floored to whole ms at
/// completion; ping connections go cold like pod connections.
///
/// Events: `instance_add` (visible after `ready_delay_s`), `instance_remove` (the pod is gone at
/// once — requests already dispatched to it complete — and the proxies see the removal after
/// `watch_delay_s`; requests routed to it meanwhile are refused), `instance_fail`
/// (connection refused from then on, endpoint kept), `service_time_add`, `node_rtt_add`. A refused
/// connection is a transport error after `c + o + (r_n+h)`.
///
/// Randomness comes from independent ``SeededGenerator`` streams derived from the seed
/// (arrivals, jitter, pings, proxy choice, one per policy), so a run is bit-reproducible from
/// (scenario, variant, seed, policy) and one consumer's draws never shift another's.
public final class Simulator {
    /// The scenario file.
    public let scenario: Scenario
    /// The scenario and variant simulated.
    public let scenarioCase: ScenarioCase
    /// The seed.
    public let seed: UInt64
    /// Number of proxies sharing the instances (requests are spread uniformly over them).
    public let proxies: Int
    /// The phases with the variant's events.
    public let phases: [Phase]

    private let definition: ScenarioDefinition
    private let model: LatencyModel
    private let requirement: QoSRequirement
    private var policies: [any RoutingPolicy]
    private let warm: [Bool]
    private var hasRun = false

    // Randomness.
    private var arrivalRNG: SeededGenerator
    private var jitterRNG: SeededGenerator
    private var pingRNG: SeededGenerator
    private var proxyRNG: SeededGenerator
    private var policyRNG: [SeededGenerator]

    // Cluster state.
    private var rtt: [String: Double] = [:]
    private var serviceMs: [String: Double] = [:]
    private var serverFreeAt: [String: Double] = [:]
    private var deployed: Set<String> = []
    private var failed: Set<String> = []
    private var visible: [String] = []

    // Per-proxy connection and ping state.
    private struct Connection {
        var used = false
        var inFlight = 0
        var lastRelease = 0.0
        var readyAt: Double?
    }
    private var connections: [[String: Connection]]
    private var pingLastEnd: [[String: Double]]
    private var pingQueue: [[String]]
    private var pingBusy: [Bool]

    // Requests.
    private struct Pending {
        var proxy: Int
        var instance: Instance
        var arrival: Double
        var preMs: Double
        var postMs: Double
        var responseMs = 0.0
        var transportError = false
    }
    private enum Event {
        case arrival(Int)
        case serverArrival(Int)
        case response(Int)
        case pingDone(proxy: Int, node: String, latencyMs: Int?)
        case visible(String)
        case invisible(String)
    }
    private var events = EventQueue<Event>()
    private var pending: [Int: Pending] = [:]
    private var records: [RequestRecord] = []
    private var arrivals = 0
    private var poolTrace: [PoolChange] = []
    private var poolAtPhaseEnd: [String: [String]] = [:]

    /// Creates a simulation of `scenarioCase` with one policy per proxy from `makePolicy`
    /// (called with the proxy index). `warmConnections` overrides the policies' wish.
    public init(scenario: Scenario, scenarioCase: ScenarioCase, seed: UInt64, proxies: Int = 1,
                warmConnections: Bool? = nil, makePolicy: (Int) throws -> any RoutingPolicy) throws {
        guard let def = scenario.scenarios[scenarioCase.scenario] else {
            throw ScenarioError.unknownScenario(scenarioCase.scenario)
        }
        precondition(proxies >= 1, "at least one proxy")
        self.scenario = scenario
        self.scenarioCase = scenarioCase
        self.seed = seed
        self.proxies = proxies
        self.definition = def
        self.phases = try scenario.phases(of: scenarioCase.scenario, variant: scenarioCase.variant)
        self.model = scenario.latencyModel
        self.requirement = scenario.requirement
        let ps = try (0..<proxies).map { try makePolicy($0) }
        self.policies = ps
        self.warm = ps.map { warmConnections ?? $0.wantsWarmConnections }
        arrivalRNG = SeededGenerator(seed: seed, label: "arrivals")
        jitterRNG = SeededGenerator(seed: seed, label: "jitter")
        pingRNG = SeededGenerator(seed: seed, label: "pings")
        proxyRNG = SeededGenerator(seed: seed, label: "proxies")
        policyRNG = (0..<proxies).map { SeededGenerator(seed: seed, label: "policy/\($0)") }
        connections = Array(repeating: [:], count: proxies)
        pingLastEnd = Array(repeating: [:], count: proxies)
        pingQueue = Array(repeating: [], count: proxies)
        pingBusy = Array(repeating: false, count: proxies)
    }

    /// A simulation of algorithm `algorithm` (a scenario entry or a built-in, see
    /// ``PolicyFactory``).
    public convenience init(scenario: Scenario, scenarioCase: ScenarioCase, algorithm: String,
                            seed: UInt64, proxies: Int = 1) throws {
        let spec = try PolicyFactory.spec(named: algorithm, in: scenario)
        let context = PolicyContext(ownNode: scenario.topology.proxyNode, requirement: scenario.requirement)
        try self.init(scenario: scenario, scenarioCase: scenarioCase, seed: seed, proxies: proxies) { _ in
            PolicyFactory.make(spec, name: algorithm, context: context)
        }
    }

    /// The policy of proxy `index` (to inspect its state after a run).
    public func policy(_ index: Int = 0) -> any RoutingPolicy { policies[index] }

    /// Runs the simulation (once) and returns its records and statistics.
    public func run() -> SimulationResult {
        precondition(!hasRun, "a Simulator runs once")
        hasRun = true
        for n in scenario.topology.nodes { rtt[n.name] = n.rttMs }
        for i in scenario.instances { serviceMs[i.name] = i.serviceMs; serverFreeAt[i.name] = 0 }
        for name in definition.initialInstances { deployed.insert(name) }
        visible = scenario.instances.map(\.name).filter { deployed.contains($0) }
        for p in 0..<proxies {
            for name in visible { openConnection(proxy: p, instance: name, at: 0) }
            policies[p].instancesChanged(visibleInstances, at: 0)
            drainPings(proxy: p, at: 0)
        }
        tracePool(at: 0)
        records.reserveCapacity(definition.requests)
        events.push(.arrival(0), at: exponential())

        while let (now, event) = events.pop() {
            switch event {
            case .arrival(let k): arrive(k, at: now)
            case .serverArrival(let id): serve(id, at: now)
            case .response(let id): respond(id, at: now)
            case .pingDone(let p, let node, let latency):
                pingLastEnd[p][node] = now
                pingBusy[p] = false
                policies[p].pingResult(node: node, latencyMs: latency, at: now)
                drainPings(proxy: p, at: now)
            case .visible(let name): makeVisible(name, at: now)
            case .invisible(let name): makeInvisible(name, at: now)
            }
            tracePool(at: now)
        }
        if let last = phases.last { poolAtPhaseEnd[last.id] = policies[0].pool }
        let summary = SimulationSummary(records: records, phaseIDs: phases.map(\.id))
        return SimulationResult(algorithm: policies[0].name, scenarioCase: scenarioCase, seed: seed,
                                records: records, summary: summary, poolTrace: poolTrace,
                                poolAtPhaseEnd: poolAtPhaseEnd, finalPools: policies.map(\.pool))
    }

    // MARK: - Arrivals and routing

    private func exponential() -> Double {
        -log1p(-arrivalRNG.uniform()) / scenario.workload.ratePerS
    }

    private var visibleInstances: [Instance] {
        visible.map { scenario.instance(named: $0)!.instance }
    }

    private func arrive(_ k: Int, at now: Double) {
        arrivals = k + 1
        let phaseIndex = definition.phaseIndex(ofRequest: k)
        if let phase = phases.first(where: { $0.startRequest == k }) {
            if phaseIndex > 0 { poolAtPhaseEnd[phases[phaseIndex - 1].id] = policies[0].pool }
            for e in phase.events { apply(e, at: now) }
        }
        if k + 1 < definition.requests { events.push(.arrival(k + 1), at: now + exponential()) }

        let p = proxies == 1 ? 0 : proxyRNG.int(below: proxies)
        let candidates = visibleInstances
        let choice = policies[p].choose(at: now, candidates: candidates, rng: &policyRNG[p])
        drainPings(proxy: p, at: now)
        var record = RequestRecord(index: k, proxy: p, time: now, phase: phaseIndex, instance: nil,
                                   responseMs: nil, success: false, transportError: false, coldConnection: false)
        guard let inst = choice else {
            records.append(record)
            return
        }
        record.instance = inst.name
        dispatch(k, inst, proxy: p, at: now, record: &record)
        records.append(record)
    }

    private func dispatch(_ id: Int, _ inst: Instance, proxy p: Int, at now: Double, record: inout RequestRecord) {
        let r = rtt[inst.node] ?? 0
        let hop = r + model.podHopRttMs
        let c = scenario.topology.client.clientToProxyMs, o = model.proxyOverheadMs
        let x = inst.node != scenario.topology.proxyNode ? model.crossNodeOverheadMs : 0
        let jitter = drawJitter()
        let refused = !deployed.contains(inst.name) || failed.contains(inst.name)
        var req = Pending(proxy: p, instance: inst, arrival: now, preMs: 0, postMs: 0)

        if policies[p].dataPath == .nodePort {
            if refused {
                req.transportError = true
                req.responseMs = max(model.minResponseMs, c + o + hop + x + model.nodeport.extraMs)
                pending[id] = req
                events.push(.response(id), at: now + req.responseMs / 1000)
                return
            }
            req.preMs = c + o + hop / 2
            req.postMs = hop / 2 + x + model.nodeport.extraMs + jitter
            pending[id] = req
            events.push(.serverArrival(id), at: now + req.preMs / 1000)
            return
        }

        var conn = connections[p][inst.name] ?? Connection()
        if refused {
            conn.used = false
            connections[p][inst.name] = conn
            req.transportError = true
            req.responseMs = max(model.minResponseMs, c + o + hop)
            pending[id] = req
            events.push(.response(id), at: now + req.responseMs / 1000)
            return
        }
        let cold: Bool
        if !model.newConnection.appliesTo.contains(.proxyToPod) {
            cold = false
        } else if warm[p], let ready = conn.readyAt {
            cold = now < ready
        } else {
            cold = !conn.used || (conn.inFlight == 0 && now - conn.lastRelease > model.newConnection.idleTimeoutS)
        }
        conn.used = true
        conn.inFlight += 1
        connections[p][inst.name] = conn
        record.coldConnection = cold
        req.preMs = c + o + (cold ? model.newConnection.extraRoundTrips * hop : 0) + hop / 2
        req.postMs = hop / 2 + x + jitter
        pending[id] = req
        events.push(.serverArrival(id), at: now + req.preMs / 1000)
    }

    private func serve(_ id: Int, at now: Double) {
        guard var req = pending[id] else { return }
        let name = req.instance.name
        let free = serverFreeAt[name] ?? 0
        let start = max(now, free)
        let s = serviceMs[name] ?? 0
        serverFreeAt[name] = start + s / 1000
        let waitMs = (start - now) * 1000
        req.responseMs = max(model.minResponseMs, req.preMs + waitMs + s + req.postMs)
        pending[id] = req
        events.push(.response(id), at: max(now, req.arrival + req.responseMs / 1000))
    }

    private func respond(_ id: Int, at now: Double) {
        guard let req = pending.removeValue(forKey: id) else { return }
        let p = req.proxy
        if !req.transportError, policies[p].dataPath == .proxied, var conn = connections[p][req.instance.name] {
            conn.inFlight = max(0, conn.inFlight - 1)
            conn.lastRelease = now
            connections[p][req.instance.name] = conn
        }
        let success = requirement.isSuccess(responseMs: req.responseMs, transportSuccess: !req.transportError)
        records[id].responseMs = req.responseMs
        records[id].success = success
        records[id].transportError = req.transportError
        let upstream: Double
        switch model.measuredSample {
        case .responseMinusProxyOverhead:
            upstream = max(0, req.responseMs - scenario.topology.client.clientToProxyMs - model.proxyOverheadMs)
        case .response:
            upstream = req.responseMs
        }
        policies[p].observe(RequestMeasurement(instance: req.instance, startedAt: req.arrival, time: now,
                                        responseMs: req.responseMs, upstreamMs: upstream,
                                        transportSuccess: !req.transportError, sloSuccess: success))
        drainPings(proxy: p, at: now)
    }

    private func drawJitter() -> Double {
        let j = model.jitter
        guard j.sigmaMs > 0 else { return j.meanMs }
        var z: Double
        repeat { z = jitterRNG.normal() } while abs(z) > j.truncateAtSigmas
        return j.meanMs + j.sigmaMs * z
    }

    // MARK: - Pings

    private func drainPings(proxy p: Int, at now: Double) {
        let wanted = policies[p].pingsWanted(at: now)
        if !wanted.isEmpty { pingQueue[p].append(contentsOf: wanted) }
        startPing(proxy: p, at: now)
    }

    private func startPing(proxy p: Int, at now: Double) {
        guard !pingBusy[p], !pingQueue[p].isEmpty else { return }
        let node = pingQueue[p].removeFirst()
        pingBusy[p] = true
        guard let r = rtt[node] else {
            events.push(.pingDone(proxy: p, node: node, latencyMs: nil), at: now)
            return
        }
        let m = model.ping
        let coldApplies = model.newConnection.appliesTo.contains(.proxyToNodePing)
        let last = pingLastEnd[p][node]
        let cold = coldApplies && (last.map { now - $0 > model.newConnection.idleTimeoutS } ?? true)
        let noise = m.noiseSigmaMs > 0 ? abs(pingRNG.normal()) * m.noiseSigmaMs : 0
        let duration = (cold ? m.roundTripsCold : m.roundTripsWarm) * r + m.overheadMs + noise
        events.push(.pingDone(proxy: p, node: node, latencyMs: Int(duration.rounded(.down))), at: now + duration / 1000)
    }

    // MARK: - Scenario events

    private func openConnection(proxy p: Int, instance name: String, at now: Double) {
        var conn = Connection()
        if warm[p], let inst = scenario.instance(named: name) {
            conn.readyAt = now + ((rtt[inst.node] ?? 0) + model.podHopRttMs) / 1000
        }
        connections[p][name] = conn
    }

    private func apply(_ event: ScenarioEvent, at now: Double) {
        switch event {
        case .instanceAdd(let name, let delay):
            deployed.insert(name)
            failed.remove(name)
            serviceMs[name] = scenario.instance(named: name)?.serviceMs ?? 0
            if delay <= 0 { makeVisible(name, at: now) } else { events.push(.visible(name), at: now + delay) }
        case .serviceTimeAdd(let name, let add):
            serviceMs[name, default: 0] += add
        case .instanceRemove(let name, _, let delay):
            deployed.remove(name)
            if delay <= 0 { makeInvisible(name, at: now) } else { events.push(.invisible(name), at: now + delay) }
        case .nodeRttAdd(let node, let add):
            rtt[node, default: 0] += add
        case .instanceFail(let name, _):
            failed.insert(name)
        }
    }

    private func makeVisible(_ name: String, at now: Double) {
        guard !visible.contains(name) else { return }
        let order = scenario.instances.map(\.name)
        visible.append(name)
        visible.sort { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }
        for p in 0..<proxies {
            openConnection(proxy: p, instance: name, at: now)
            policies[p].instancesChanged(visibleInstances, at: now)
            drainPings(proxy: p, at: now)
        }
    }

    private func makeInvisible(_ name: String, at now: Double) {
        guard visible.contains(name) else { return }
        visible.removeAll { $0 == name }
        for p in 0..<proxies {
            connections[p][name] = nil
            policies[p].instancesChanged(visibleInstances, at: now)
            drainPings(proxy: p, at: now)
        }
    }

    private func tracePool(at now: Double) {
        let pool = policies[0].pool
        if poolTrace.last?.pool != pool {
            if poolTrace.isEmpty && pool.isEmpty { return }
            poolTrace.append(PoolChange(time: now, requestsSoFar: arrivals, pool: pool))
        }
    }
}
