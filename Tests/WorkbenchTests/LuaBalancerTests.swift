import Foundation
import Learning
import Routing
@testable import Scripting
import Testing
@testable import Workbench

/// Lua balancer plugins as the proxy and the simulator call them: what the plugin sees, what it
/// may return, and the fallback when it misbehaves.
@Suite("Lua balancers")
struct LuaBalancerTests {
    static let pool = [
        PoolCandidate(instance: Instance(name: "s1", node: "w1", attributes: ["accuracy": 0.91]),
                      prediction: Prediction(pOK: 0.95, latencyMs: 30), inFlight: 2),
        PoolCandidate(instance: Instance(name: "s2", node: "w2", attributes: ["accuracy": 0.97]),
                      prediction: Prediction(pOK: 0.99), inFlight: 0),
        PoolCandidate(instance: Instance(name: "s3", node: "w3"), prediction: Prediction(pOK: 0.90, latencyMs: 12), inFlight: 5),
    ]

    /// A balancer plugin whose `pick` body is `body`, loaded through a real script host.
    static func balancer(_ body: String, params: String = "{}", reads: String? = nil) throws -> LuaBalancer {
        try balancerAndHost(body, params: params, reads: reads).balancer
    }

    /// ``balancer(_:params:reads:)`` and the script host it runs in.
    static func balancerAndHost(_ body: String, params: String = "{}", reads: String? = nil) throws
        -> (balancer: LuaBalancer, host: ScriptHost) {
        let dir = NSTemporaryDirectory() + "aiotwin-balancers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/balancers", withIntermediateDirectories: true)
        try Data("""
            return { kind = "balancer", name = "probe", version = "1", description = "test", params = \(params),
                     \(reads.map { "reads = \($0)," } ?? "")
                     pick = function(pool, rng, params) \(body) end }
            """.utf8).write(to: URL(fileURLWithPath: dir + "/balancers/probe.lua"))
        var configuration = ScriptHost.Configuration()
        configuration.pluginDirectories = [dir]
        let host = try ScriptHost(configuration: configuration)
        return (try LuaBalancer(plugin: "probe", host: host), host)
    }

    static func pick(_ balancer: LuaBalancer) -> String? {
        var rng = SeededGenerator(seed: 7)
        return balancer.pick(from: pool, shareClauses: [], rng: &rng)?.name
    }

    @Test("the plugin sees every field of every member, in order")
    func fields() throws {
        // Encodes what it saw into the name it looks up: a mismatch is a fallback (counted).
        let b = try Self.balancer("""
            local seen = {}
            for i, m in ipairs(pool) do
              seen[#seen + 1] = string.format("%s@%s:%.2f:%s:%d:%s", m.name, m.node, m.p_ok,
                tostring(m.latency_ms), m.in_flight, tostring(m.attributes.accuracy))
            end
            local expected = "s1@w1:0.95:30.0:2:0.91|s2@w2:0.99:nil:0:0.97|s3@w3:0.90:12.0:5:nil"
            if table.concat(seen, "|") == expected then return pool[2] end
            error("saw " .. table.concat(seen, "|"))
            """)
        #expect(Self.pick(b) == "s2")
        #expect(b.errors == 0, "\(b.lastError ?? "")")
    }

    @Test("a member, its name or its 1-based index are accepted", arguments: [
        ("return pool[3]", "s3"), ("return 's1'", "s1"), ("return 2", "s2"),
        ("local best = pool[1] for _, m in ipairs(pool) do if m.p_ok > best.p_ok then best = m end end return best", "s2"),
    ])
    func results(_ body: String, _ expected: String) throws {
        let b = try Self.balancer(body)
        #expect(Self.pick(b) == expected)
        #expect(b.errors == 0, "\(b.lastError ?? "")")
    }

    @Test("an unusable result or an error falls back to a uniform pick and is counted", arguments: [
        ("return 'nope'", "'nope'"), ("return 4", "index 4"), ("return 1.5", "number"), ("return {}", "table"),
        ("return nil", "nil"), ("error('boom')", "boom"),
    ])
    func fallback(_ body: String, _ reason: String) throws {
        let b = try Self.balancer(body)
        let chosen = Self.pick(b)
        #expect(chosen.map { ["s1", "s2", "s3"].contains($0) } == true)
        #expect(b.errors == 1)
        #expect(b.lastError?.contains(reason) == true, "\(b.lastError ?? "")")
    }

    @Test("the host's seeded generator drives rng, so picks repeat with the seed")
    func seeded() throws {
        let b = try Self.balancer("return pool[rng:int(1, #pool)]")
        var first: [String] = [], second: [String] = []
        for run in 0..<2 {
            var rng = SeededGenerator(seed: 42)
            for _ in 0..<20 {
                let name = b.pick(from: Self.pool, shareClauses: [], rng: &rng)?.name ?? "-"
                if run == 0 { first.append(name) } else { second.append(name) }
            }
        }
        #expect(first == second)
        #expect(Set(first).count == 3)
        #expect(b.errors == 0)
    }

    @Test("once its records exist, a pick allocates nothing in Lua, with or without refreshed fields",
          arguments: ["{}", "{'p_ok', 'in_flight'}"])
    func noGarbage(_ reads: String) throws {
        // No garbage means no collector work on the request path.
        let (b, host) = try Self.balancerAndHost("return pool[rng:int(1, #pool)]", reads: reads)
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<10 { _ = b.pick(from: Self.pool, shareClauses: [], rng: &rng) }
        let before = host.lua.memoryUsed
        var seen: Set<String> = []
        for _ in 0..<5_000 { seen.insert(b.pick(from: Self.pool, shareClauses: [], rng: &rng)?.name ?? "-") }
        #expect(host.lua.memoryUsed == before)
        #expect(seen == ["s1", "s2", "s3"])
        #expect(b.errors == 0, "\(b.lastError ?? "")")
    }

    @Test("reused records follow the pool: shorter pools, new instances, changed predictions, many names")
    func reusedRecords() throws {
        // Members are named "<id>/<pool size>" and carry their expected p_ok in `node`: the plugin
        // returns the last member only if the list it sees matches.
        let b = try Self.balancer("""
            local last = pool[#pool]
            local size = tonumber(last.name:match("/(%d+)$"))
            if #pool == size and last.p_ok == tonumber(last.node) and last.latency_ms == nil then return last end
            error(string.format("saw %d members, last %s p_ok %s", #pool, last.name, tostring(last.p_ok)))
            """)
        func pick(_ ids: [Int], p: Double) -> String? {
            let pool = ids.map { id in
                PoolCandidate(instance: Instance(name: "i\(id)/\(ids.count)", node: "\(p)"), prediction: Prediction(pOK: p))
            }
            var rng = SeededGenerator(seed: 1)
            return b.pick(from: pool, shareClauses: [], rng: &rng)?.name
        }
        #expect(pick([1, 2, 3], p: 0.5) == "i3/3")
        #expect(pick([1, 2, 3], p: 0.75) == "i3/3")
        #expect(pick([4], p: 0.25) == "i4/1")
        #expect(pick([1, 2], p: 1) == "i2/2")
        // Hundreds of distinct instances: the cache forgets old ones and stays correct.
        for round in 0..<50 {
            let ids = Array((round * 7)..<(round * 7 + 1 + round % 5))
            #expect(pick(ids, p: Double(round) / 64) == "i\(ids.last ?? 0)/\(ids.count)")
        }
        #expect(b.errors == 0, "\(b.lastError ?? "")")
    }

    @Test("a plugin that sorts or trims the pool in place still sees the right records next time")
    func pluginChangesTheList() throws {
        let b = try Self.balancer("""
            table.sort(pool, function(x, y) return x.p_ok > y.p_ok end)
            local best = pool[1]
            pool[#pool] = nil
            return best
            """)
        func pick(_ ps: [Double]) -> String? {
            let pool = ps.enumerated().map { i, p in
                PoolCandidate(instance: Instance(name: "s\(i + 1)", node: "w"), prediction: Prediction(pOK: p))
            }
            var rng = SeededGenerator(seed: 1)
            return b.pick(from: pool, shareClauses: [], rng: &rng)?.name
        }
        #expect(pick([0.1, 0.9, 0.5]) == "s2")
        #expect(pick([0.8, 0.2, 0.3]) == "s1")
        #expect(pick([0.1, 0.2, 0.7]) == "s3")
        #expect(pick([0.1, 0.2, 0.7]) == "s3")
        #expect(pick([0.6, 0.2]) == "s1")
        #expect(b.errors == 0, "\(b.lastError ?? "")")
    }

    @Test("'reads' limits the refreshed fields to those named; a bad list is a load error")
    func declaredReads() throws {
        // p_ok is refreshed on every call, in_flight never set (not declared), node set once.
        let b = try Self.balancer("""
            local m = pool[1]
            if m.in_flight == nil and m.node == "w1" then return string.format("s%d", math.floor(m.p_ok * 10 + 0.5)) end
            error("saw in_flight " .. tostring(m.in_flight))
            """, reads: "{ 'p_ok' }")
        func pick(_ p: Double) -> String? {
            var rng = SeededGenerator(seed: 1)
            let pool = (1...3).map { i in
                PoolCandidate(instance: Instance(name: "s\(i)", node: "w\(i)"), prediction: Prediction(pOK: i == 1 ? p : 0.5), inFlight: 4)
            }
            return b.pick(from: pool, shareClauses: [], rng: &rng)?.name
        }
        #expect(pick(0.1) == "s1")
        #expect(pick(0.3) == "s3")
        #expect(pick(0.2) == "s2")
        #expect(b.errors == 0, "\(b.lastError ?? "")")
        for bad in ["{ 'p_okk' }", "'p_ok'", "{ p_ok = true }"] {
            #expect(throws: (any Error).self, "\(bad)") { try Self.balancer("return pool[1]", reads: bad) }
        }
    }

    @Test("plugin parameters reach pick")
    func parameters() throws {
        let b = try Self.balancer("return params.favourite", params: "{ favourite = 's3' }")
        #expect(Self.pick(b) == "s3")
    }

    /// Plugins that break the rules (by a second engineer's review): each must still get a pool
    /// member back (its own or the fallback's), with the Lua stack balanced, whether or not the
    /// fast path applies (`reads = {}`) and when the pool shrinks between calls.
    static let misbehaving: [(String, String)] = [
        ("sort", "table.sort(pool, function(a, b) return a.name > b.name end) return pool[1]"),
        ("trim", "pool[#pool] = nil return pool[1]"),
        ("append", "pool[#pool + 1] = { name = 's1' } return pool[#pool]"),
        ("replace", "pool[2] = { name = 's3' } return pool[2]"),
        ("replace-nonrecord", "local x = pool[1] pool[1] = 5 return x"),
        ("hole", "pool[1] = nil return pool[2]"),
        ("fields", "pool[1].name = 'zzz' pool[2].x = {} return pool[1]"),
        ("keep", "if saved then saved[1], saved[2] = saved[2], saved[1] end saved = pool return pool[1]"),
        ("earlier", "if not old then old = pool[3] end return old"),
        ("foreign", "return { name = 'nope' }"),
        ("noname", "return {}"),
        ("float", "return 1.5"),
        ("bigindex", "return math.maxinteger"),
        ("error", "error('boom')"),
        ("errtable", "error({})"),
        ("yield", "coroutine.yield(1)"),
        ("loop", "while true do end"),
        ("nil", "return nil"),
        ("list", "return pool"),
        ("rng", "return rng"),
        ("meta", "setmetatable(pool, { __len = function() return 99 end, __index = function() return 's2' end }) return pool[rng:int(1, 3)]"),
        ("memory", "local t = {} for i = 1, 1e9 do t[i] = {} end"),
    ]

    @Test("a plugin that breaks the rules still routes to a pool member, stack balanced",
          arguments: misbehaving.indices)
    func misbehavingPlugins(_ k: Int) throws {
        let (name, body) = Self.misbehaving[k]
        let names = Set(Self.pool.map(\.instance.name))
        for reads in ["{}", "{'p_ok'}"] {
            let (b, host) = try Self.balancerAndHost(body, reads: reads)
            host.lua.limits = LuaLimits(memoryBytes: 64 << 20, instructions: 200_000)
            let depth = host.lua.stackDepth
            var rng = SeededGenerator(seed: 1)
            for i in 0..<6 {
                let pool = i == 3 ? Array(Self.pool.prefix(2)) : Self.pool
                let chosen = b.pick(from: pool, shareClauses: [], rng: &rng)
                #expect(chosen.map { names.contains($0.name) } == true, "\(name) \(reads)")
                #expect(host.lua.stackDepth == depth, "\(name) \(reads): stack \(host.lua.stackDepth), was \(depth)")
            }
        }
    }

    @Test("a failing plugin falls back to a uniform pick, not to one member forever")
    func fallbackIsUniform() throws {
        let b = try Self.balancer("error('broken')")
        var rng = SeededGenerator(seed: 1)
        var seen: Set<String> = []
        for _ in 0..<30 { seen.insert(b.pick(from: Self.pool, shareClauses: [], rng: &rng)?.name ?? "-") }
        #expect(b.errors == 30)
        #expect(seen == ["s1", "s2", "s3"])
    }
}
