import Learning
import Routing
import Scripting

/// A ``Balancer`` implemented by a Lua plugin's `pick(pool, rng, params)`: `pool` is a list of
/// `{ name, node, p_ok, latency_ms, in_flight, attributes }` tables (the same tables from call to
/// call, updated in place: read them, don't keep them; a plugin's optional `reads` list names the
/// changing fields it uses, and only those are refreshed), `rng` the host's seeded
/// generator (a `Random` handle, so picks are reproducible), and the result a member, its name or
/// its 1-based index. A plugin error or an invalid result falls back to a uniform pick and is
/// counted, so a broken plugin degrades routing instead of stopping it.
///
/// Not thread-safe: Lua states are single-threaded; use it from one thread (the simulator's or
/// one event loop's).
public final class LuaBalancer: Balancer, @unchecked Sendable {
    private let function: LuaFunctionRef
    private let random: RandomHandle
    /// `rng` and `params`, held by reference so that a call pushes them without marshalling.
    private let arguments: LuaReferencedArguments
    /// One record table per instance, reused from call to call.
    private let records: LuaRecordCache
    /// Which changing fields the plugin reads (its `reads` list; all of them without one),
    /// decided once so that a pick tests flags, not set membership.
    private let readsNode: Bool, readsPOK: Bool, readsLatency: Bool, readsInFlight: Bool
    /// The fields a pool record has, and those that change from request to request.
    static let recordFields = ["name", "node", "p_ok", "latency_ms", "in_flight", "attributes"]
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
        let reads: Set<String>
        switch loaded["reads"] {
        case .nil:
            reads = Set(Self.recordFields)
        case .table(let list) where list.hash.isEmpty && list.array.allSatisfy({ $0.stringValue != nil }):
            let names = list.array.compactMap(\.stringValue)
            if let unknown = names.first(where: { !Self.recordFields.contains($0) }) {
                throw WorkbenchError.scriptFailed("plugin '\(name)': 'reads' names '\(unknown)', not a pool field (\(Self.recordFields.joined(separator: ", ")))")
            }
            reads = Set(names)
        default:
            throw WorkbenchError.scriptFailed("plugin '\(name)': 'reads' must be a list of pool field names (\(Self.recordFields.joined(separator: ", ")))")
        }
        readsNode = reads.contains("node")
        readsPOK = reads.contains("p_ok")
        readsLatency = reads.contains("latency_ms")
        readsInFlight = reads.contains("in_flight")
        random = RandomHandle(seed: 0)
        arguments = try LuaReferencedArguments([host.lua.reference(to: host.randomValue(random)),
                                                host.lua.reference(to: loaded["params"])])
        records = LuaRecordCache(state: host.lua)
    }

    public func pick(from pool: [PoolCandidate], shareClauses: [ShareClause], rng: inout SeededGenerator) -> Instance? {
        guard !pool.isEmpty else { return nil }
        random.generator = rng
        do {
            defer { rng = random.generator }  // before any fallback draws from it
            // This runs once per proxied request: members are read in place (a copy retains four
            // references), and with a pool as last time and nothing to refresh it is one C call.
            let node = readsNode, pOK = readsPOK, latency = readsLatency, inFlight = readsInFlight
            let choice = try pool.withUnsafeBufferPointer { pool in
                // A record per instance name; its name and attributes are static (set when the
                // name is first seen), the other fields are refreshed if the plugin reads them.
                try function.callChoice(records: records, count: pool.count, key: { pool[$0].instance.name },
                                        fields: 6, refreshes: node || pOK || latency || inFlight, fill: { i, record, isNew in
                    if isNew {
                        record.set("name", pool[i].instance.name)
                        record.set("attributes", numbersByName: pool[i].instance.attributes)
                    }
                    if node || isNew { record.set("node", pool[i].instance.node) }
                    if pOK { record.set("p_ok", pool[i].prediction.pOK) }
                    if latency { record.set("latency_ms", pool[i].prediction.latencyMs) }
                    if inFlight { record.set("in_flight", pool[i].inFlight) }
                }, then: arguments)
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
