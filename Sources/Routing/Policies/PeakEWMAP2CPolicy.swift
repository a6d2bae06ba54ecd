#if canImport(Learning)
import Learning
#endif

/// Peak-EWMA + power of two choices (Finagle / linkerd, spec §6.1).
///
/// Every endpoint keeps a ``PeakEWMAPredictor`` (new endpoints start at the default RTT). Per
/// request: draw two distinct endpoints uniformly, prefer the healthy one, else the lower load
/// (`cost · (pending + 1)`; the first drawn on a tie); if the winner is unhealthy, draw again, up
/// to `max_effort` times. Observed RTT = ``RequestMeasurement/upstreamMs``. An endpoint is unhealthy
/// for `failure_backoff_s` after a transport error.
public final class PeakEWMAP2CPolicy: RoutingPolicy {
    public let name: String
    /// The configuration.
    public let parameters: PeakEWMAParameters
    public private(set) var pool: [String] = []

    private var endpoints: [String: PeakEWMAPredictor] = [:]
    private var failedAt: [String: Double] = [:]

    /// Creates the policy.
    public init(name: String = "peak_ewma_p2c", parameters: PeakEWMAParameters = PeakEWMAParameters()) {
        self.name = name
        self.parameters = parameters
    }

    /// The Peak-EWMA state of an instance, for tests.
    public func endpoint(_ name: String) -> PeakEWMAPredictor? { endpoints[name] }

    public func instancesChanged(_ instances: [Instance], at now: Double) {
        sync(instances, at: now)
    }

    public func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        sync(candidates, at: now)
        guard !candidates.isEmpty else { return nil }
        var chosen = candidates[0]
        if candidates.count > 1 {
            for _ in 0..<max(parameters.maxEffort, 1) {
                let a = rng.int(below: candidates.count)
                var b = rng.int(below: candidates.count - 1)
                if b >= a { b += 1 }
                let ea = candidates[a], eb = candidates[b]
                let ha = healthy(ea.name, now), hb = healthy(eb.name, now)
                let la = endpoints[ea.name]!.load(at: now)
                let lb = endpoints[eb.name]!.load(at: now)
                if ha != hb { chosen = ha ? ea : eb } else { chosen = la <= lb ? ea : eb }
                if healthy(chosen.name, now) { break }
            }
        }
        endpoints[chosen.name]!.pending += 1
        return chosen
    }

    public func observe(_ m: RequestMeasurement) {
        guard endpoints[m.instance.name] != nil else { return }
        endpoints[m.instance.name]!.pending = max(0, endpoints[m.instance.name]!.pending - 1)
        endpoints[m.instance.name]!.observe(rttMs: m.upstreamMs, at: m.time)
        if m.transportSuccess { failedAt[m.instance.name] = nil } else { failedAt[m.instance.name] = m.time }
    }

    public func predictions(at now: Double) -> [String: Prediction] {
        var out: [String: Prediction] = [:]
        for (name, e) in endpoints { out[name] = Prediction(pOK: healthy(name, now) ? 1 : 0, latencyMs: e.cost) }
        return out
    }

    private func healthy(_ name: String, _ now: Double) -> Bool {
        guard let t = failedAt[name] else { return true }
        return now - t >= parameters.failureBackoffS
    }

    private func sync(_ instances: [Instance], at now: Double) {
        for i in instances where endpoints[i.name] == nil {
            endpoints[i.name] = PeakEWMAPredictor(defaultRttMs: parameters.defaultRttMs, decayS: parameters.decayS, at: now)
        }
        let names = Set(instances.map(\.name))
        for k in endpoints.keys.sorted() where !names.contains(k) { endpoints[k] = nil; failedAt[k] = nil }
        pool = instances.map(\.name)
    }
}
