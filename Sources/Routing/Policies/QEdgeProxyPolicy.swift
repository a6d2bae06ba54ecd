#if canImport(Learning)
import Learning
#endif

/// The public QEdgeProxy balancer, exactly as spec §3 describes it (AIoTwin/qedgeproxy `main`).
///
/// Per request (`ChoosePod`):
/// 1. pods := candidates minus nodes in failure cooldown (`!healthy && now − stamp < base·fails`);
///    none → `nil` (404);
/// 2. the first request starts an approximation pass; later requests merge a finished pass;
/// 3. pool := pods whose state has `L < maxLatency`;
/// 4. a pass is triggered when |pool| / |pods| < `qos_perc` (QoS-min failure) or a pod's node has
///    no state, if more than `qos_cooldown_s` (whole seconds) passed since the last pass and no
///    pass is running;
/// 5. non-empty pool → uniform (`random_mode`) or minimum L; else the first pod on the own node;
///    else uniform over the pods.
///
/// A pass pings every distinct node of the candidates in order (sequentially, by the host), using
/// the per-node ping cache (`⌊age⌋ < ping_cache_s`); a failed or timed-out ping counts as
/// `max_latency_ms` and is not cached. It is merged on the next request after its last ping: a
/// node without state takes the ping (approximated); an existing value is overwritten only when
/// it is approximated or its stamp is older than `real_data_valid_s` (whole seconds).
///
/// Responses: a transport success folds the whole-ms sample (`RequestMeasurement.upstreamMs`, time to
/// headers) into the node's EWMA; a transport error marks the node unhealthy and starts its
/// cooldown. Slow answers are successes for the state (only the SLO counts them as misses).
public final class QEdgeProxyPolicy: RoutingPolicy {
    public let name: String
    /// The configuration.
    public let parameters: QEdgeProxyParameters
    /// The proxy's own node.
    public let ownNode: String
    public private(set) var pool: [String] = []

    private let balancer = UniformBalancer()
    private var states: [String: EWMAPredictor] = [:]
    private var instances: [Instance] = []
    private var initialized = false
    private var passRunning = false
    private var lastPassAt = 0.0
    private var pass: PingPass?
    private var keysByNode: [String: [String]] = [:]
    private var pingCache: [String: (latencyMs: Double, at: Double)] = [:]

    /// Creates the policy.
    public init(name: String = "qedgeproxy", parameters: QEdgeProxyParameters = QEdgeProxyParameters(),
                context: PolicyContext) {
        self.name = name
        self.parameters = parameters
        self.ownNode = context.ownNode
    }

    /// The latency state of a node (or instance, with `state_key: instance`), for tests.
    public func state(forKey key: String) -> EWMAPredictor? { states[key] }

    /// Number of approximation passes started so far.
    public private(set) var passesStarted = 0

    private func key(_ i: Instance) -> String { parameters.stateKey == .node ? i.node : i.name }

    public func instancesChanged(_ instances: [Instance], at now: Double) {
        self.instances = instances
    }

    public func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        instances = candidates
        let pods = candidates.filter { !(states[key($0)]?.inFailureCooldown(at: now, baseS: parameters.failureCooldownBaseS) ?? false) }
        guard !pods.isEmpty else {
            pool = []
            return nil
        }

        if !initialized {
            initialized = true
            startPass(over: candidates, at: now)
        } else if let p = pass, p.isComplete {
            merge(p, at: now)
        }

        let good = admitted(pods)
        pool = good.map(\.name)

        let qosMinFails = Double(good.count) / Double(pods.count) < parameters.qosPerc
        let podWithoutState = pods.contains { states[key($0)] == nil }
        if (qosMinFails || podWithoutState), !passRunning,
           parameters.cooldownComparison.exceeds(now - lastPassAt, parameters.qosCooldownS) {
            startPass(over: candidates, at: now)
        }

        if !good.isEmpty {
            if parameters.randomMode {
                let members = good.map { PoolCandidate(instance: $0, prediction: prediction(for: $0)) }
                return balancer.pick(from: members, shareClauses: [], rng: &rng)
            }
            // Go's sort.SliceStable by L: the first minimum in pod order.
            var best = good[0]
            for p in good.dropFirst() where states[key(p)]!.latencyMs < states[key(best)]!.latencyMs { best = p }
            return best
        }
        if let own = pods.first(where: { $0.node == ownNode }) { return own }
        return pods[rng.int(below: pods.count)]
    }

    public func observe(_ m: RequestMeasurement) {
        let k = key(m.instance)
        if !m.transportSuccess {
            if states[k] == nil { states[k] = .failure(at: m.time) } else { states[k]!.observeFailure(at: m.time) }
        } else {
            let sample = parameters.integerMsTruncation ? m.upstreamMs.rounded(.towardZero) : m.upstreamMs
            if states[k] == nil {
                states[k] = EWMAPredictor(sample: sample, at: m.time)
            } else {
                states[k]!.observe(sample: sample, weight: parameters.latWeight,
                                   approximationWeight: parameters.latApprWeight,
                                   truncate: parameters.integerMsTruncation, at: m.time)
            }
        }
        pool = admitted(instances.filter { !(states[key($0)]?.inFailureCooldown(at: m.time, baseS: parameters.failureCooldownBaseS) ?? false) }).map(\.name)
    }

    public func pingsWanted(at now: Double) -> [String] {
        guard pass != nil else { return [] }
        return pass!.take()
    }

    public func pingResult(node: String, latencyMs: Int?, at now: Double) {
        guard pass != nil else { return }
        var latency: Double?
        if let l = latencyMs, Double(l) < parameters.pingTimeoutS * 1000 {
            latency = Double(l)
            pingCache[node] = (Double(l), now)
        }
        _ = pass!.record(node: node, latencyMs: latency, at: now)
    }

    public func predictions(at now: Double) -> [String: Prediction] {
        var out: [String: Prediction] = [:]
        for i in instances { if states[key(i)] != nil { out[i.name] = prediction(for: i) } }
        return out
    }

    // MARK: - Internals

    private func prediction(for i: Instance) -> Prediction {
        states[key(i)]?.prediction(maxLatencyMs: parameters.maxLatencyMs) ?? Prediction(pOK: 0)
    }

    private func admitted(_ pods: [Instance]) -> [Instance] {
        pods.filter { p in states[key(p)].map { $0.latencyMs < parameters.maxLatencyMs } ?? false }
    }

    private func startPass(over podsAll: [Instance], at now: Double) {
        passRunning = true
        lastPassAt = now
        passesStarted += 1
        var nodes: [String] = []
        keysByNode = [:]
        for p in podsAll {
            if !nodes.contains(p.node) { nodes.append(p.node) }
            if !(keysByNode[p.node]?.contains(key(p)) ?? false) { keysByNode[p.node, default: []].append(key(p)) }
        }
        var toPing: [String] = []
        var cached: [String: Double] = [:]
        for node in nodes {
            if let c = pingCache[node], wholeSeconds(now - c.at) < parameters.pingCacheS {
                cached[node] = c.latencyMs
            } else {
                toPing.append(node)
            }
        }
        pass = PingPass(startedAt: now, nodes: nodes, toPing: toPing, cached: cached)
    }

    private func merge(_ p: PingPass, at now: Double) {
        for node in p.nodes {
            guard let r = p.results[node] else { continue }
            let latency = r.latencyMs ?? parameters.maxLatencyMs
            for k in keysByNode[node] ?? [] {
                if let s = states[k] {
                    if parameters.cooldownComparison.exceeds(now - s.stamp, parameters.realDataValidS) || s.approximated {
                        states[k]!.overwrite(approximationMs: latency)
                    }
                } else {
                    states[k] = .approximation(latencyMs: latency, at: r.at)
                }
            }
        }
        pass = nil
        passRunning = false
    }
}
