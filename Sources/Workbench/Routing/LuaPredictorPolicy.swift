import Learning
import Routing
import Scripting

/// A routing policy around a Lua predictor plugin's `update(estimate, sample_ms, params)`: each
/// instance's latency estimate is updated from every response (the first sample seeds it); the
/// pool is the instances whose estimate is below τ, plus those without an estimate yet (they are
/// tried to get one); a transport error evicts an instance for `retryAfter` seconds. Within the
/// pool the pick is uniform (QEdgeProxy's random mode) or a balancer's.
public final class LuaPredictorPolicy: RoutingPolicy {
    public let name: String
    public private(set) var pool: [String] = []
    private let update: LuaFunctionRef
    private let params: LuaValue
    private let tau: Double
    private let retryAfter: Double
    private let balancer: (any Balancer)?
    private var estimates: [String: Double] = [:]
    private var evictedUntil: [String: Double] = [:]
    /// Plugin calls that failed.
    public private(set) var errors = 0

    /// Binds predictor plugin `plugin` of `host`; τ in ms from the service's requirement.
    public init(plugin: String, parameters: LuaTable? = nil, host: ScriptHost, tauMs: Double, retryAfter: Double = 30,
                balancer: (any Balancer)? = nil) throws {
        let loaded = try host.loadPlugin(plugin, parameters: parameters)
        guard case let .function(f) = loaded["update"] else {
            throw WorkbenchError.scriptFailed("plugin '\(plugin)' has no function 'update(estimate, sample_ms, params)'")
        }
        name = plugin
        update = f
        params = loaded["params"]
        tau = tauMs
        self.retryAfter = retryAfter
        self.balancer = balancer
    }

    public func instancesChanged(_ instances: [Instance], at now: Double) {
        let names = Set(instances.map(\.name))
        estimates = estimates.filter { names.contains($0.key) }
    }

    public func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        let eligible = candidates.filter { c in
            if let until = evictedUntil[c.name], until > now { return false }
            return (estimates[c.name] ?? 0) < tau
        }
        pool = eligible.map(\.name)
        guard !eligible.isEmpty else { return nil }
        if let balancer {
            let members = eligible.map { c in
                PoolCandidate(instance: c, prediction: Prediction(pOK: (estimates[c.name] ?? 0) < tau ? 1 : 0, latencyMs: estimates[c.name]))
            }
            return balancer.pick(from: members, shareClauses: [], rng: &rng)
        }
        return eligible[rng.int(below: eligible.count)]
    }

    public func observe(_ m: RequestMeasurement) {
        let name = m.instance.name
        guard m.transportSuccess else {
            evictedUntil[name] = m.time + retryAfter
            estimates[name] = nil
            return
        }
        let previous = estimates[name]
        do {
            let next = try update.callNumber { args in
                if let previous { args.push(previous) } else { args.pushNil() }
                args.push(m.upstreamMs)
                try? args.push(params)
            }
            estimates[name] = next.isFinite ? next : previous
        } catch {
            errors += 1
            estimates[name] = m.upstreamMs
        }
    }

    public func predictions(at now: Double) -> [String: Prediction] {
        estimates.mapValues { Prediction(pOK: $0 < tau ? 1 : 0, latencyMs: $0) }
    }
}
