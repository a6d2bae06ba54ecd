import ArgumentParser
import Foundation
import Routing
import Storage
import Workbench

/// `aiotwin proxy simulate`: the deterministic discrete-event simulation of a scenario file.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a routing scenario (deterministic, per seed) and summarise or record it.",
        discussion: """
            The scenario file follows ../shared/reference/qos_scenario_deliverable.yaml (unknown keys
            are errors). --balancer names one of the scenario's algorithms, a built-in (nodeport,
            peak_ewma_p2c, slo_aware) or a Lua balancer/predictor plugin. Without --seed all of the
            scenario's seeds run. --report prints every algorithm against the published table.
            Example: aiotwin proxy simulate --scenario datasets/scenarios/deliverable.yaml --balancer slo_aware --case dynamic --json
            """)

    @OptionGroup var selection: ScenarioCaseOptions

    @Option(help: "Run one seed only.")
    var seed: UInt64?

    @Option(help: "Run the first N of the scenario's seeds.")
    var seeds: Int?

    @Flag(help: "Print requests, success_rate, mean_response_ms, p50_ms, p99_ms and per_instance as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Write every request and per-seed summaries to this run file.", valueName: "run.h5"))
    var out: String?

    @Flag(help: "Simulate every algorithm of the scenario (and slo_aware) on every case and compare with the published table.")
    var report = false

    func run() throws {
        let scenario = try selection.loadScenario()
        if report {
            let rows = try ReproductionReport.run(scenario: scenario, algorithms: nil)
            print(rows.render())
            for a in rows.acceptance(scenario) { print(a) }
            return
        }
        let scenarioCase = try selection.scenarioCase(in: scenario)
        let balancer = selection.balancer
        let phases = try scenario.phases(of: scenarioCase.scenario, variant: scenarioCase.variant)
        var hostConfiguration = ScriptHost.Configuration()
        hostConfiguration.pluginDirectories = PluginCatalog.defaultDirectories(extra: selection.plugins)
        hostConfiguration.print = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let catalog = PolicyCatalog(scenario: scenario, host: try ScriptHost(configuration: hostConfiguration))
        _ = try catalog.make(balancer)  // resolves the name now, with the list of names on error
        var seedList = scenario.workload.seedRange
        if let seed { seedList = [seed] } else if let seeds { seedList = Array(seedList.prefix(max(1, seeds))) }
        let recorder = try out.map { path in
            try SimulationTables(path: path, metadata: RunMetadata(
                aiotwinVersion: WorkbenchInfo.version, seed: Int64(bitPattern: seedList.first ?? 0),
                command: CommandLine.arguments.joined(separator: " "), script: "",
                extra: ["name": URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent]),
                configurationJSON: String(decoding: try JSONSerialization.data(withJSONObject: [
                    "scenario": selection.scenario, "case": scenarioCase.scenario, "variant": scenarioCase.variant ?? "", "balancer": balancer,
                    "seeds": seedList.map { Int($0) }], options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
        var records: [RequestRecord] = []
        var perInstance: [String: Int] = [:]
        for s in seedList {
            let result = try Simulator(scenario: scenario, scenarioCase: scenarioCase, seed: s) { _ in try catalog.make(balancer) }.run()
            try recorder?.record(result, phaseIDs: phases.map(\.id))
            records += result.records
            for (k, v) in result.summary.perInstance { perInstance[k, default: 0] += v }
        }
        try recorder?.file.finish(status: .completed)
        let pooled = SimulationSummary(records: records, phaseIDs: phases.map(\.id))
        if json {
            let object: [String: Any] = ["requests": pooled.requests, "success_rate": pooled.successRate,
                                         "mean_response_ms": pooled.meanMs, "p50_ms": pooled.p50Ms, "p99_ms": pooled.p99Ms,
                                         "per_instance": perInstance, "seeds": seedList.map { Int($0) }, "balancer": balancer,
                                         "case": scenarioCase.description]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self))
        } else {
            print("\(balancer) on \(scenarioCase), \(seedList.count) seed\(seedList.count == 1 ? "" : "s"): \(pooled.requests) requests")
            print(String(format: "  success %.2f%%, mean %.2f ms, p50 %.2f ms, p99 %.2f ms", 100 * pooled.successRate, pooled.meanMs, pooled.p50Ms, pooled.p99Ms))
            for phase in pooled.phases where phases.count > 1 {
                print(String(format: "  phase %@: success %.2f%%, mean %.2f ms", phase.id, 100 * phase.successRate, phase.meanMs))
            }
            print("  per instance: " + perInstance.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            if let out { print("run file: \(out)") }
        }
    }
}
