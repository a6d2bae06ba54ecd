import Learning
import Routing
import Scripting

/// A ``Balancer`` implemented by a Lua plugin's `pick(pool, rng, params)`: `pool` is a list of
/// `{ name, node, p_ok, latency_ms, in_flight, attributes }` tables, `rng` the host's seeded
/// generator (a `Random` handle, so picks are reproducible), and the result a member, its name or
/// its 1-based index. A plugin error or an invalid result falls back to a uniform pick and is
/// counted, so a broken plugin degrades routing instead of stopping it.
///
/// Not thread-safe: Lua states are single-threaded; use it from one thread (the simulator's or
/// one event loop's).
public final class LuaBalancer: Balancer, @unchecked Sendable {
    private let function: LuaFunctionRef
    private let params: LuaValue
    private let random: RandomHandle
    private let randomValue: LuaValue
    /// Plugin calls that failed or returned something unusable.
    public private(set) var errors = 0
    /// The last plugin error, for reports.
    public private(set) var lastError: String?

    /// Binds plugin `name` of `host` (its `pick` function and its parameters).
    public init(plugin name: String, parameters: LuaTable? = nil, host: ScriptHost) throws {
        let loaded = try host.loadPlugin(name, parameters: parameters)
        guard case let .function(pick) = loaded["pick"] else {
            throw WorkbenchError.scriptFailed("plugin '\(name)' has no function 'pick(pool, rng, params)'")
        }
        function = pick
        params = loaded["params"]
        random = RandomHandle(seed: 0)
        randomValue = host.randomValue(random)
    }

    public func pick(from pool: [PoolCandidate], shareClauses: [ShareClause], rng: inout SeededGenerator) -> Instance? {
        guard !pool.isEmpty else { return nil }
        random.generator = rng
        defer { rng = random.generator }
        let members = pool.map { c -> LuaValue in
            var t = LuaTable()
            t["name"] = .string(c.instance.name)
            t["node"] = .string(c.instance.node)
            t["p_ok"] = .number(c.prediction.pOK)
            t["latency_ms"] = c.prediction.latencyMs.map { .number($0) } ?? .nil
            t["in_flight"] = .integer(Int64(c.inFlight))
            var attributes = LuaTable()
            for (k, v) in c.instance.attributes { attributes[k] = .number(v) }
            t["attributes"] = .table(attributes)
            return .table(t)
        }
        do {
            let result = try function.call([LuaValue(members), randomValue, params]).first ?? .nil
            let name: String?
            switch result {
            case let .string(s): name = s
            case let .table(t): name = t["name"].stringValue
            case let v where v.intValue != nil: name = (1...pool.count).contains(v.intValue ?? 0) ? pool[(v.intValue ?? 1) - 1].instance.name : nil
            default: name = nil
            }
            if let name, let chosen = pool.first(where: { $0.instance.name == name }) { return chosen.instance }
            errors += 1
            lastError = "pick returned \(result.typeName), not a pool member"
        } catch {
            errors += 1
            lastError = "\(error)"
        }
        return pool[rng.int(below: pool.count)].instance
    }
}
