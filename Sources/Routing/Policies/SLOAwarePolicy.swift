import Foundation
#if canImport(Learning)
import Learning
#endif

/// aiotwin's SLO-aware balancer (spec §5).
///
/// **Predictor** (per instance, ``WindowedSLOPredictor``): `p_i = F̂_i(τ)` from success and miss
/// counts decayed with a 30 s half-life, with a prior of weight 2 whose mean is
/// `1[warm RTT_i + ŝ ≤ 0.9·τ]`. The warm RTT of a node is the smaller of its last two pings (the
/// policy always asks for two consecutive pings, so the second one reuses the connection); ŝ is
/// the lower median of the service estimates of the service's *other* instances (EWMA of
/// response − warm RTT over SLO successes, so a slow instance or a stale RTT does not inflate
/// it), 10 ms before any answered. An instance whose node has no ping yet has no prediction.
///
/// **Pool** = `{i : p_i ≥ ρ_inst, not suspended}`; **weights** equal in the pool subject to the
/// requirement's share clauses, P2C on in-flight under load (``EqualShareP2CBalancer`` by
/// default; any ``Balancer`` can be plugged in).
///
/// **Exploration**: an SLO miss suspends the instance (eviction within one sample) and asks for a
/// diagnosis ping of its node. If the node is infeasible by environment (prior 0) the instance
/// waits for an environment event (a later ping showing it feasible again); otherwise one real
/// request re-probes it after `30 s · 2^(k−1)` (cap 300 s), `k` counting misses less than the
/// cap apart. A successful probe lifts the suspension and forgets the misses. Probes spend tokens
/// of an exploration budget that accrues `(1−ρ)/2` per routed request (at most
/// `exploration_burst` tokens), so exploration misses stay within `(1−ρ)/2` of the traffic.
///
/// **Environment**: the nodes of all instances are re-pinged every `ping_interval_s`, so a
/// latency change on a link moves the prior before any request pays for it.
///
/// With an empty pool the policy still answers when it can: the candidate with the best score
/// (p_i, or 0.5 without a prediction; suspended instances last), the own node first among ties.
public final class SLOAwarePolicy: RoutingPolicy {
    public let name: String
    /// The configuration.
    public let parameters: SLOAwareParameters
    /// The requirement (τ, ρ, share clauses).
    public let requirement: QoSRequirement
    /// The proxy's own node.
    public let ownNode: String
    /// The load-balancing half.
    public let balancer: any Balancer
    public private(set) var pool: [String] = []
    public var wantsWarmConnections: Bool { parameters.warmConnections }

    /// Per-instance state.
    struct State {
        var instance: Instance
        var predictor: WindowedSLOPredictor
        var serviceMs: Double?
        var inFlight = 0
        var suspended = false
        var waitingForEnvironment = false
        var level = 0
        var retryAt = 0.0
        var lastMissAt: Double?
        var probeStartedAt: Double?
    }

    private var states: [String: State] = [:]
    private var order: [String] = []
    private var pings: [String: [Double]] = [:]
    private var pingQueue: [String] = []
    private var outstandingPings = 0
    private var lastPeriodicPassAt: Double?
    private var tokens = 1.0
    /// Probes sent so far (exploration requests), for tests and metrics.
    public private(set) var probesSent = 0

    /// Creates the policy.
    public init(name: String = "slo_aware", parameters: SLOAwareParameters = SLOAwareParameters(),
                context: PolicyContext, balancer: any Balancer = EqualShareP2CBalancer()) {
        self.name = name
        self.parameters = parameters
        self.requirement = context.requirement
        self.ownNode = context.ownNode
        self.balancer = balancer
    }

    private var rhoInstance: Double { parameters.rhoInstance ?? requirement.rho }
    private var explorationRate: Double { (1 - requirement.rho) / 2 }

    /// Whether instance `name` is suspended (for tests).
    public func isSuspended(_ name: String) -> Bool { states[name]?.suspended ?? false }

    /// The warm RTT estimate of `node` (ms): the smaller of its last two pings; `+∞` if both
    /// failed; `nil` before any.
    public func warmRTT(node: String) -> Double? {
        guard let samples = pings[node], !samples.isEmpty else { return nil }
        return samples.min()
    }

    public func instancesChanged(_ instances: [Instance], at now: Double) {
        sync(instances, at: now)
        pool = currentPool(at: now)
    }

    public func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        sync(candidates, at: now)
        tokens = min(parameters.explorationBurst, tokens + explorationRate)
        let estimates = serviceEstimates()
        pool = currentPool(at: now, estimates)
        guard !candidates.isEmpty else { return nil }

        // One real request re-probes a suspended instance whose back-off has elapsed.
        if tokens >= 1 {
            for c in candidates {
                let s = states[c.name]!
                if s.suspended, !s.waitingForEnvironment, s.probeStartedAt == nil, now >= s.retryAt {
                    tokens -= 1
                    probesSent += 1
                    states[c.name]!.probeStartedAt = now
                    states[c.name]!.inFlight += 1
                    return c
                }
            }
        }

        let members = candidates.filter { pool.contains($0.name) }
        var chosen: Instance?
        if !members.isEmpty {
            let pc = members.map { PoolCandidate(instance: $0, prediction: prediction(for: $0.name, at: now, estimates),
                                                 inFlight: states[$0.name]!.inFlight) }
            chosen = balancer.pick(from: pc, shareClauses: requirement.shareClauses, rng: &rng)
        }
        if chosen == nil { chosen = bestEffort(candidates, at: now, estimates, rng: &rng) }
        if let c = chosen { states[c.name]!.inFlight += 1 }
        return chosen
    }

    public func observe(_ m: RequestMeasurement) {
        let name = m.instance.name
        guard var s = states[name] else { return }
        s.inFlight = max(0, s.inFlight - 1)
        s.predictor.record(success: m.sloSuccess, at: m.time)
        if m.sloSuccess, let rtt = warmRTT(node: s.instance.node), rtt.isFinite {
            let sample = max(0, m.responseMs - rtt)
            s.serviceMs = s.serviceMs.map { 0.7 * $0 + 0.3 * sample } ?? sample
        }
        let cap = parameters.suspendCapS
        if let started = s.probeStartedAt, started == m.startedAt {
            s.probeStartedAt = nil
            if m.sloSuccess {
                s.suspended = false
                s.predictor.clearMisses()
                tokens = min(parameters.explorationBurst, tokens + 1)
            } else {
                s.level += 1
                s.retryAt = m.time + backoff(level: s.level)
                s.lastMissAt = m.time
                queuePing(s.instance.node)
            }
        } else if !m.sloSuccess {
            if !s.suspended {
                let fresh = s.lastMissAt.map { m.time - $0 > cap } ?? true
                s.level = fresh ? 1 : s.level + 1
                s.suspended = true
                s.retryAt = m.time + backoff(level: s.level)
                queuePing(s.instance.node)
            }
            s.lastMissAt = m.time
        }
        states[name] = s
        pool = currentPool(at: m.time)
    }

    public func pingsWanted(at now: Double) -> [String] {
        guard outstandingPings == 0 else { return [] }
        if lastPeriodicPassAt.map({ now - $0 >= parameters.pingIntervalS }) ?? true, !order.isEmpty {
            lastPeriodicPassAt = now
            for name in order { queuePing(states[name]!.instance.node) }
        }
        guard !pingQueue.isEmpty else { return [] }
        let nodes = pingQueue
        pingQueue = []
        outstandingPings = 2 * nodes.count
        return nodes.flatMap { [$0, $0] }
    }

    public func pingResult(node: String, latencyMs: Int?, at now: Double) {
        outstandingPings = max(0, outstandingPings - 1)
        var samples = pings[node] ?? []
        samples.append(latencyMs.map(Double.init) ?? .infinity)
        if samples.count > 2 { samples.removeFirst(samples.count - 2) }
        pings[node] = samples
        let estimates = serviceEstimates()
        for name in order where states[name]!.instance.node == node && states[name]!.suspended {
            guard let prior = priorMean(states[name]!, estimates) else { continue }
            if prior == 0 {
                states[name]!.waitingForEnvironment = true
            } else if states[name]!.waitingForEnvironment {
                // Environment event: the node is feasible again.
                states[name]!.waitingForEnvironment = false
                states[name]!.suspended = false
                states[name]!.level = 0
                states[name]!.predictor.clearMisses()
            }
        }
        pool = currentPool(at: now, estimates)
    }

    public func predictions(at now: Double) -> [String: Prediction] {
        var out: [String: Prediction] = [:]
        let estimates = serviceEstimates()
        for name in order { out[name] = prediction(for: name, at: now, estimates) }
        return out
    }

    // MARK: - Internals

    private func backoff(level: Int) -> Double {
        min(parameters.suspendCapS, parameters.suspendBaseS * exp2(Double(max(level, 1) - 1)))
    }

    private func queuePing(_ node: String) {
        if !pingQueue.contains(node) { pingQueue.append(node) }
    }

    private func sync(_ instances: [Instance], at now: Double) {
        // Called per request: the common case (same instances) allocates nothing.
        if instances.count == order.count && zip(instances, order).allSatisfy({ $0.name == $1 }) { return }
        let names = instances.map(\.name)
        for i in instances where states[i.name] == nil {
            states[i.name] = State(instance: i, predictor: WindowedSLOPredictor(halfLifeS: parameters.halfLifeS,
                                                                                priorWeight: parameters.priorWeight, at: now))
            if pings[i.node] == nil { queuePing(i.node) }
        }
        let keep = Set(names)
        for k in order where !keep.contains(k) { states[k] = nil }
        order = names
    }

    /// The service estimates of all instances, for ŝ (the lower median of the *other* instances').
    private func serviceEstimates() -> ServiceEstimates {
        ServiceEstimates(order.compactMap { states[$0]?.serviceMs })
    }

    /// 1 when the warm RTT plus the service estimate (the default without one) fits the margin;
    /// `nil` before the instance's node has been pinged.
    private func priorMean(_ s: State, _ estimates: ServiceEstimates) -> Double? {
        guard let rtt = warmRTT(node: s.instance.node) else { return nil }
        let serviceMs = estimates.lowerMedian(excluding: s.serviceMs) ?? parameters.defaultServiceMs
        return rtt + serviceMs <= parameters.priorMargin * requirement.tauMs ? 1 : 0
    }

    private func pOK(_ s: State, at now: Double, _ estimates: ServiceEstimates) -> Double? {
        guard let prior = priorMean(s, estimates) else { return nil }
        return s.predictor.pOK(at: now, priorMean: prior)
    }

    private func prediction(for name: String, at now: Double, _ estimates: ServiceEstimates) -> Prediction {
        guard let s = states[name] else { return Prediction(pOK: 0) }
        let serviceMs = estimates.lowerMedian(excluding: s.serviceMs) ?? parameters.defaultServiceMs
        let latency = warmRTT(node: s.instance.node).map { $0 + serviceMs }
        return Prediction(pOK: pOK(s, at: now, estimates) ?? 0, latencyMs: latency)
    }

    private func currentPool(at now: Double, _ known: ServiceEstimates? = nil) -> [String] {
        // Runs twice per request: sort the service estimates once, not once per instance.
        let estimates = known ?? serviceEstimates()
        return order.filter { name in
            guard let s = states[name], !s.suspended, let p = pOK(s, at: now, estimates) else { return false }
            return p >= rhoInstance
        }
    }

    /// The sorted service estimates of all instances, for the lower median of "the others".
    private struct ServiceEstimates {
        let sorted: [Double]
        init(_ values: [Double]) { sorted = values.sorted() }

        /// The lower median without one occurrence of `own` (when the instance has an estimate),
        /// exactly as sorting the other instances' estimates would give; `nil` when none is left.
        func lowerMedian(excluding own: Double?) -> Double? {
            let skip = own.flatMap { value in sorted.firstIndex(of: value) }
            let count = sorted.count - (skip == nil ? 0 : 1)
            guard count > 0 else { return nil }
            let k = (count - 1) / 2
            if let skip, k >= skip { return sorted[k + 1] }
            return sorted[k]
        }
    }

    private func bestEffort(_ candidates: [Instance], at now: Double, _ estimates: ServiceEstimates,
                            rng: inout SeededGenerator) -> Instance? {
        func score(_ i: Instance) -> Double {
            let base = pOK(states[i.name]!, at: now, estimates) ?? 0.5
            return states[i.name]!.suspended ? base - 2 : base
        }
        let best = candidates.map(score).max()!
        let ties = candidates.filter { score($0) == best }
        if let own = ties.first(where: { $0.node == ownNode }) { return own }
        return ties[rng.int(below: ties.count)]
    }
}
