import Foundation
#if canImport(Learning)
import Learning
#endif

/// proxy-mity as evaluated (spec §4, branch `proxi-mity`): node weights from a ping pass,
/// `w_i = (1−α)/n + α·exp(−L_i/T) / Σ_j exp(−L_j/T)`, with `L_i` the ping in whole ms floored at
/// `latency_floor_ms` (a failed ping counts as `ping_error_latency_ms`) and `n` the number of
/// distinct nodes in the pass.
///
/// - A pass pings every distinct node of the candidates (sequentially, by the host); it is due
///   when a candidate's node has no weight or more than `refresh_period_s` passed since the last
///   pass, always gated by `refresh_cooldown_s` and "no pass running"; the first request starts
///   one. The result replaces all weights on the next request after the pass (nodes missing from
///   it get weight 0).
/// - Selection: draw U ∈ [0, 1), walk the weighted nodes in random order accumulating weights,
///   take the first pod of the first node with U < cumulative; if that node has no pod any more,
///   the next node of the walk that has one (wrapping around). No weights yet (or no node of the
///   walk has a pod) → the QEdgeProxy fallback: the first pod on the own node, else uniform.
/// - No response-time feedback: measurements are ignored (transport errors would set a cooldown
///   that the walk ignores anyway).
public final class ProxymityPolicy: RoutingPolicy {
    public let name: String
    /// The configuration.
    public let parameters: ProxymityParameters
    /// The proxy's own node.
    public let ownNode: String
    public private(set) var pool: [String] = []

    /// Current weights by node (`nil` before the first pass is applied).
    public private(set) var weights: [String: Double]?
    /// Number of passes started so far.
    public private(set) var passesStarted = 0

    private var instances: [Instance] = []
    private var initialized = false
    private var passRunning = false
    private var lastPassAt = 0.0
    private var pass: PingPass?

    /// Creates the policy.
    public init(name: String = "proxymity", parameters: ProxymityParameters = ProxymityParameters(),
                context: PolicyContext) {
        self.name = name
        self.parameters = parameters
        self.ownNode = context.ownNode
    }

    public func instancesChanged(_ instances: [Instance], at now: Double) {
        self.instances = instances
        updatePool()
    }

    public func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        instances = candidates
        if !initialized {
            initialized = true
            startPass(over: candidates, at: now)
        } else if let p = pass, p.isComplete {
            apply(p)
        }

        let elapsed = now - lastPassAt
        let nodeWithoutState = candidates.contains { weights?[$0.node] == nil }
        if !passRunning, parameters.periodComparison.exceeds(elapsed, parameters.refreshCooldownS),
           nodeWithoutState || parameters.periodComparison.exceeds(elapsed, parameters.refreshPeriodS) {
            startPass(over: candidates, at: now)
        }
        updatePool()

        guard !candidates.isEmpty else { return nil }
        if let w = weights, !w.isEmpty {
            var order = w.keys.sorted()
            rng.shuffle(&order)
            let u = rng.uniform()
            var cumulative = 0.0
            var hit = order.count - 1
            for (i, node) in order.enumerated() {
                cumulative += w[node]!
                if u < cumulative { hit = i; break }
            }
            for step in 0..<order.count {
                let node = order[(hit + step) % order.count]
                if let pod = candidates.first(where: { $0.node == node }) { return pod }
            }
        }
        if let own = candidates.first(where: { $0.node == ownNode }) { return own }
        return candidates[rng.int(below: candidates.count)]
    }

    public func observe(_ measurement: RequestMeasurement) {}

    public func pingsWanted(at now: Double) -> [String] {
        guard pass != nil else { return [] }
        return pass!.take()
    }

    public func pingResult(node: String, latencyMs: Int?, at now: Double) {
        guard pass != nil else { return }
        _ = pass!.record(node: node, latencyMs: latencyMs.map(Double.init), at: now)
    }

    public func predictions(at now: Double) -> [String: Prediction] {
        var out: [String: Prediction] = [:]
        for i in instances { if let w = weights?[i.node] { out[i.name] = Prediction(pOK: w) } }
        return out
    }

    /// The weights a pass with these node latencies (whole ms, already floored) gives.
    public static func weights(latencies: [(node: String, latencyMs: Double)], alpha: Double,
                               temperatureMs: Double) -> [String: Double] {
        guard !latencies.isEmpty else { return [:] }
        let n = Double(latencies.count)
        let lMin = latencies.map(\.latencyMs).min()!
        let e = latencies.map { exp(-($0.latencyMs - lMin) / temperatureMs) }
        let total = e.reduce(0, +)
        var w: [String: Double] = [:]
        for (k, item) in latencies.enumerated() {
            w[item.node] = (1 - alpha) / n + alpha * e[k] / total
        }
        return w
    }

    // MARK: - Internals

    private func startPass(over candidates: [Instance], at now: Double) {
        passRunning = true
        lastPassAt = now
        passesStarted += 1
        var nodes: [String] = []
        for c in candidates where !nodes.contains(c.node) { nodes.append(c.node) }
        pass = PingPass(startedAt: now, nodes: nodes, toPing: nodes, cached: [:])
    }

    private func apply(_ p: PingPass) {
        var latencies: [(node: String, latencyMs: Double)] = []
        for node in p.nodes {
            guard let r = p.results[node] else { continue }
            let l = r.latencyMs.map { $0.rounded(.down) } ?? parameters.pingErrorLatencyMs
            latencies.append((node, max(l, parameters.latencyFloorMs)))
        }
        weights = Self.weights(latencies: latencies, alpha: parameters.alpha, temperatureMs: parameters.temperatureMs)
        pass = nil
        passRunning = false
    }

    private func updatePool() {
        pool = instances.filter { (weights?[$0.node] ?? 0) > 0 }.map(\.name)
    }
}
