import Foundation
import Routing
import Scripting
import Storage

// aiotwin.proxy.*: QoS-aware routing scenarios from Lua.

extension ScriptHost {
    func registerRoutingAPI() {
        lua.register(module: "aiotwin", functions: [
            "proxy.simulate": { [unowned self] args in try simulate(LuaOptions(args, at: 1)) },
            "proxy.published": { [unowned self] args in
                let scenario = try loadScenario(try args.string(at: 1), context: args.functionName)
                var t = LuaTable()
                for (caseName, algorithms) in scenario.publishedResults ?? [:] {
                    var c = LuaTable()
                    for (name, point) in algorithms { c[name] = LuaValue(["mean_ms": .number(point.meanMs), "success": .number(point.success)]) }
                    t[caseName] = .table(c)
                }
                return [.table(t)]
            },
        ])
    }

    func loadScenario(_ path: String, context: String) throws -> Scenario {
        let checked = try configuration.policy.check(path, for: "\(context) scenario")
        return try Scenario.load(contentsOf: URL(fileURLWithPath: checked))
    }

    /// `aiotwin.proxy.simulate{ scenario =, balancer =, case =, variant =, seeds =, seed =, run = }`.
    private func simulate(_ o: LuaOptions) throws -> [LuaValue] {
        try o.allowOnly(["scenario", "balancer", "case", "variant", "seeds", "seed", "run"])
        guard let path = try o.string("scenario") else { throw WorkbenchError.invalidInput("\(o.context): option 'scenario' (a YAML file) is required") }
        let scenario = try loadScenario(path, context: o.context)
        let name = try o.string("case", default: "dynamic")
        guard scenario.scenarios[name] != nil else {
            throw WorkbenchError.invalidInput("\(o.context): no scenario '\(name)' (has: \(scenario.scenarios.keys.sorted().joined(separator: ", ")))")
        }
        let variant = try o.string("variant")
        let scenarioCase = ScenarioCase(scenario: name, variant: variant)
        let phases = try scenario.phases(of: name, variant: variant)
        let balancer = try o.string("balancer", default: "slo_aware")
        let catalog = PolicyCatalog(scenario: scenario, host: self)
        _ = try catalog.make(balancer)
        var seeds = scenario.workload.seedRange
        if let s = try o.int("seed") { seeds = [UInt64(max(0, s))] } else if let n = try o.int("seeds") { seeds = Array(seeds.prefix(max(1, n))) }
        let recorder = try (o.table["run"].handleValue?.object(as: RunHandle.self)).map { handle in
            try SimulationTables(file: handle.recorder.file)
        }
        var records: [RequestRecord] = []
        for seed in seeds {
            let result = try Simulator(scenario: scenario, scenarioCase: scenarioCase, seed: seed) { _ in try catalog.make(balancer) }.run()
            try recorder?.record(result, phaseIDs: phases.map(\.id))
            records += result.records
        }
        let s = SimulationSummary(records: records, phaseIDs: phases.map(\.id))
        var perInstance = LuaTable()
        for (k, v) in s.perInstance { perInstance[k] = .integer(Int64(v)) }
        return [LuaValue([
            "requests": .integer(Int64(s.requests)), "success_rate": .number(s.successRate), "mean_ms": .number(s.meanMs),
            "p50_ms": .number(s.p50Ms), "p99_ms": .number(s.p99Ms), "per_instance": .table(perInstance),
            "seeds": .integer(Int64(seeds.count)),
            "phases": LuaValue(s.phases.map { p in
                LuaValue(["id": .string(p.id), "success_rate": .number(p.successRate), "mean_ms": .number(p.meanMs)])
            }),
        ])]
    }
}
