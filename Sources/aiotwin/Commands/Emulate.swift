import ArgumentParser
import Foundation
import Routing
import Storage
import Workbench

/// `aiotwin proxy emulate`: a scenario over real sockets on loopback, compared with its simulation.
struct Emulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Emulate a routing scenario over real sockets on loopback and compare it with the simulation.",
        discussion: """
            Every instance of the scenario becomes an HTTP server on 127.0.0.1 that answers after \
            the scenario's latency model (network RTT and pod hop, handshake on a cold connection, \
            FIFO queue, service time, cross-node overhead, jitter) and names itself in X-Instance; \
            every node answers pings (GET /echo) after the ping model. The real proxy (the one of \
            `aiotwin proxy serve`) routes with --balancer, and an IoT load generator sends the \
            workload's open-loop Poisson arrivals (the simulator's, for the same seed) through it. \
            The phase events (deploy, overload, removal, failure, RTT change) apply just before the \
            request that starts their phase. All ports are free ports on 127.0.0.1.

            Time: --speedup K runs scenario time K times faster than the wall clock. Scaled: the \
            inter-arrival times, the event times and delays, and the policy's clock (cooldowns, \
            half-lives, back-offs). Not scaled: latencies (RTT, service time, jitter, pings are \
            real milliseconds, so the SLO keeps its meaning). Queues run on the scenario clock, so \
            each instance's utilisation is the scenario's at any K. What grows with K: requests \
            overlap K times more, so a policy hears of a response, a miss or a ping pass after K \
            times as many arrivals as in the scenario. Pings wait their modeled duration on the \
            scenario clock and report it plus the real loopback overhead, so a ping pass lasts as \
            long as in the scenario. Default K = 20: the deliverable's 4000 requests (2000 s at \
            2 req/s) take about 100 s. A busy host delays answers in flight: the output warns when \
            the load generator's sends were late.

            A request succeeds iff the proxy answered 2xx faster than the SLO's τ (the simulator's \
            definition); 502/504 are transport errors, 503 unrouted. The summary (text, or --json \
            with the keys of `aiotwin proxy simulate --json`) is printed beside the simulation of \
            the same case, seed and balancer, with the differences. The real proxy overhead \
            replaces the model's proxy overhead, and the proxy retries a request refused at \
            connect on another instance, which the simulator counts as a transport error.

            Example: aiotwin proxy emulate --scenario datasets/scenarios/deliverable.yaml --case static --balancer slo_aware --requests 400
            Run files: --out emu.h5 --simulation-out sim.h5, then
            aiotwin compare emu.h5 sim.h5 --table requests --metric response_ms --kind cdf --plot cdf.svg
            """)

    @OptionGroup var selection: ScenarioCaseOptions

    @Option(help: "The seed of arrivals, jitter, pings and routing (default: the scenario's first seed).")
    var seed: UInt64?

    @Option(help: "Scenario seconds per wall-clock second: arrivals, events and the policy's clock are scaled, latencies are not.")
    var speedup: Double = EmulationSettings.defaultSpeedup

    @Option(help: "Send only the first N requests of the case (later phases are dropped; the simulation is limited alike).")
    var requests: Int?

    @Flag(help: "Print requests, success_rate, mean_response_ms, p50_ms, p99_ms, per_instance and the simulation as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Write every request and the summary to this run file (the form of `proxy simulate --out`).", valueName: "run.h5"))
    var out: String?

    @Option(help: ArgumentHelp("Write the comparison simulation to this run file.", valueName: "sim.h5"))
    var simulationOut: String?

    @Option(help: "Event-loop threads of the proxy.")
    var proxyThreads = 1

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        guard speedup.isFinite, speedup > 0 else { throw ValidationError("--speedup must be a number > 0, found \(speedup)") }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1, found \(requests)") }
        guard proxyThreads >= 1 else { throw ValidationError("--proxy-threads must be at least 1") }
        if let out, let simulationOut, out == simulationOut { throw ValidationError("--out and --simulation-out must differ") }
    }

    func run() async throws {
        let full = try selection.loadScenario()
        let scenarioCase = try selection.scenarioCase(in: full)
        let requestLimit = requests ?? full.scenarios[scenarioCase.scenario]?.requests ?? 0
        let scenario = try full.limited(scenario: scenarioCase.scenario, requests: requestLimit)
        let seed = self.seed ?? scenario.workload.seedRange.first ?? 0
        let pluginDirectories = PluginCatalog.defaultDirectories(extra: selection.plugins)
        let balancer = selection.balancer
        @Sendable func catalog() throws -> PolicyCatalog {
            var c = ScriptHost.Configuration()
            c.pluginDirectories = pluginDirectories
            c.print = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            return PolicyCatalog(scenario: scenario, host: try ScriptHost(configuration: c))
        }
        let simulationCatalog = try catalog()
        _ = try simulationCatalog.make(balancer)  // resolves the name now, with the list of names on error

        // The emulation, then the simulation of the same case and seed.
        let settings = try EmulationSettings(speedup: speedup, requests: requests)
        var emulationSettings = settings
        emulationSettings.proxyThreads = proxyThreads
        let emulator = try Emulator(scenario: scenario, scenarioCase: scenarioCase, seed: seed, settings: emulationSettings) { _, _, _ in
            try catalog().make(balancer)
        }
        let line = quiet ? nil : EmulationProgressLine(label: "emulate \(balancer) on \(scenarioCase)")
        let emulation = try await emulator.run { line?.show($0) }
        line?.finish()
        if emulation.lateness.isDisturbed && json {
            FileHandle.standardError.write(Data((EmulationReport.busyWarning.trimmingCharacters(in: .whitespaces) + "\n").utf8))
        }
        let simulation = try Simulator(scenario: scenario, scenarioCase: scenarioCase, seed: seed) { _ in
            try simulationCatalog.make(balancer)
        }.run()

        let phaseIDs = emulator.plan.phases.map(\.id)
        if let out { try write(emulation.run, to: out, phaseIDs: phaseIDs, mode: "emulation", seed: seed) }
        if let simulationOut { try write(simulation, to: simulationOut, phaseIDs: phaseIDs, mode: "simulation", seed: seed) }
        let report = EmulationReport(emulation: emulation, simulation: simulation, balancer: balancer, scenarioCase: scenarioCase,
                                     instances: scenario.instances.map(\.name))
        if json {
            print(try report.json())
        } else {
            print(report.text())
            if let out { print("run file: \(out)") }
            if let simulationOut { print("simulation run file: \(simulationOut)") }
        }
    }

    private func write(_ result: SimulationResult, to path: String, phaseIDs: [String], mode: String, seed: UInt64) throws {
        let configuration: [String: Any] = [
            "scenario": selection.scenario, "case": selection.scenarioName, "variant": selection.variant ?? "", "balancer": selection.balancer,
            "seeds": [Int(seed)], "mode": mode, "speedup": speedup, "requests": result.records.count,
        ]
        let tables = try SimulationTables(path: path, metadata: RunMetadata(
            aiotwinVersion: WorkbenchInfo.version, seed: Int64(bitPattern: seed),
            command: CommandLine.arguments.joined(separator: " "), script: "",
            extra: ["name": URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent]),
            configurationJSON: String(decoding: try JSONSerialization.data(withJSONObject: configuration,
                                                                           options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        try tables.record(result, phaseIDs: phaseIDs)
        try tables.file.finish(status: .completed)
    }
}
