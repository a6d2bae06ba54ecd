import Learning
import Routing
import Scripting

/// The overhead of calling plugins in hot paths, measured through the real plugin loader in the
/// full sandbox: a predictor update per request (two numbers in, one out) and a balancer pick per
/// request (pool and generator held in Lua), and a balancer plugin exactly as the proxy and the
/// simulator call it (``LuaBalancer``: pool records built per call) beside the built-in balancer.
public enum PluginBenchmark {
    /// Measures with the `ewma` and `random_in_pool` plugins from `host`'s plugin path.
    public static func run(host: ScriptHost, iterations: Int = 1_000_000, repetitions: Int = 3) throws -> [LuaBenchmark.Row] {
        // Parameters are bound once, as a hot path would, so a call passes only the per-request data.
        _ = try host.run(source: """
            local ewma = aiotwin.plugin("ewma")
            local balancer = aiotwin.plugin("random_in_pool")
            local pool, rng = {}, aiotwin.random(1)
            for i = 1, 8 do pool[i] = i end
            function bench_ewma(estimate, sample) return ewma.update(estimate, sample, ewma.params) end
            function bench_pick() return balancer.pick(pool, rng) end
            """, chunkName: "plugin-bench")
        let update = try host.lua.function(named: "bench_ewma"), pick = try host.lua.function(named: "bench_pick")
        return [
            try LuaBenchmark.measure("plugin ewma.update per request (2 numbers -> 1)", calls: iterations, repetitions: repetitions) {
                var e = 10.0
                for i in 0..<iterations { e = try update.callNumbers([e, Double(i & 31)]) }
                return e
            },
            try LuaBenchmark.measure("plugin random_in_pool.pick per request (pool of 8)", calls: iterations, repetitions: repetitions) {
                var s = 0
                for _ in 0..<iterations { s &+= try pick.callInteger { _ in } }
                return Double(s)
            },
        ] + (try balancerRows(host: host, iterations: iterations, repetitions: repetitions))
    }

    /// `LuaBalancer` (`random_in_pool`) against the built-in `EqualShareP2CBalancer`, pools of 1
    /// and 7 instances with predictions and attributes, as routed per request.
    static func balancerRows(host: ScriptHost, iterations: Int, repetitions: Int) throws -> [LuaBenchmark.Row] {
        let lua = try LuaBalancer(plugin: "random_in_pool", host: host)
        let builtin = EqualShareP2CBalancer()
        var rows: [LuaBenchmark.Row] = []
        for size in [1, 7] {
            let pool = (0..<size).map { i in
                PoolCandidate(instance: Instance(name: "s\(i + 1)", node: "worker\(i + 1)", attributes: ["accuracy": 0.9]),
                              prediction: Prediction(pOK: 0.99, latencyMs: 20 + Double(i)), inFlight: i % 3)
            }
            for (label, balancer) in [("LuaBalancer random_in_pool", lua as any Balancer), ("built-in equal-share P2C", builtin)] {
                rows.append(try LuaBenchmark.measure("\(label).pick as routed (pool of \(size))", calls: iterations,
                                                     repetitions: repetitions) {
                    var rng = SeededGenerator(seed: 1)
                    var s = 0
                    for _ in 0..<iterations { s &+= balancer.pick(from: pool, shareClauses: [], rng: &rng)?.name.utf8.count ?? 0 }
                    return Double(s)
                })
            }
        }
        if lua.errors > 0 { throw WorkbenchError.scriptFailed("random_in_pool failed during the benchmark: \(lua.lastError ?? "")") }
        return rows
    }
}
