import Learning
import Routing
import Scripting

/// A ``Balancer`` implemented by a Lua plugin's `pick(pool, rng, params)`: `pool` is a list of
/// `{ name, node, p_ok, latency_ms, in_flight, attributes }` tables (the same tables from call to
/// call, updated in place: read them, don't keep or change them), `rng` the host's seeded
/// generator (a `Random` handle, so picks are reproducible), and the result a member, its name or
/// its 1-based index. A plugin error or an invalid result falls back to a uniform pick and is
/// counted, so a broken plugin degrades routing instead of stopping it.
///
/// Not thread-safe: Lua states are single-threaded; use it from one thread (the simulator's or
/// one event loop's).
public final class LuaBalancer: Balancer, @unchecked Sendable {
    private let function: LuaFunctionRef
    private let params: LuaReference
    private let random: RandomHandle
    /// The `rng` handle, held by reference so that a call pushes it without a handle lookup.
    private let randomValue: LuaReference
    /// One record table per instance, reused from call to call.
    private let records: LuaRecordCache
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
        params = try host.lua.reference(to: loaded["params"])
        random = RandomHandle(seed: 0)
        randomValue = try host.lua.reference(to: host.randomValue(random))
        records = LuaRecordCache(state: host.lua)
    }

    public func pick(from pool: [PoolCandidate], shareClauses: [ShareClause], rng: inout SeededGenerator) -> Instance? {
        guard !pool.isEmpty else { return nil }
        random.generator = rng
        defer { rng = random.generator }
        do {
            // Records pushed straight onto the Lua stack, the result read without marshalling:
            // this runs once per proxied request.
            let choice = try function.callChoice { args in
                // A record per instance name; its attributes are static (set when the name is first seen).
                try args.pushRecords(cachedIn: records, count: pool.count, key: { pool[$0].instance.name },
                                     fields: 6) { i, record, isNew in
                    let c = pool[i]
                    if isNew {
                        record.set("name", c.instance.name)
                        record.set("attributes", numbersByName: c.instance.attributes)
                    }
                    record.set("node", c.instance.node)
                    record.set("p_ok", c.prediction.pOK)
                    record.set("latency_ms", c.prediction.latencyMs)
                    record.set("in_flight", c.inFlight)
                }
                try args.push(randomValue)
                try args.push(params)
            }
            switch choice {
            case .index(let i) where (1...pool.count).contains(i):
                return pool[i - 1].instance
            case .name(let name):
                if let chosen = pool.first(where: { $0.instance.name == name }) { return chosen.instance }
                errors += 1
                lastError = "pick returned '\(name)', not a pool member"
            case .index(let i):
                errors += 1
                lastError = "pick returned index \(i) of a pool of \(pool.count)"
            case .other(let type):
                errors += 1
                lastError = "pick returned \(type), not a pool member"
            }
        } catch {
            errors += 1
            lastError = "\(error)"
        }
        return pool[rng.int(below: pool.count)].instance
    }
}
