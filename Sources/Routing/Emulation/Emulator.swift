import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs a scenario over real sockets on loopback: one HTTP server per scenario instance that
/// answers after the scenario's latency model (``ClusterModel``), one per node answering pings,
/// the real ``ProxyServer`` routing with a ``QoSRouter`` over the chosen policy, and an open-loop
/// Poisson load generator, with the scenario's events applied at their (scaled) times.
///
/// ```swift
/// let emulator = try Emulator(scenario: scenario, scenarioCase: ScenarioCase(scenario: "static"), seed: 0,
///                             settings: EmulationSettings(speedup: 20)) { _, _, _ in try PolicyFactory.make(name: "slo_aware", scenario: scenario) }
/// let result = try await emulator.run()
/// print(result.run.summary.successRate)
/// ```
///
/// Time: see ``TimeScale`` (arrivals, events and the policy's clock are scaled; latencies are
/// not; queues run on the scenario clock). The proxy's clock is the scenario clock, its pings go
/// to the emulated nodes (``QoSRouterHooks``). Everything binds to 127.0.0.1 on free ports.
///
/// Differences from the simulator by construction: the real proxy's own overhead replaces the
/// model's client hop and proxy overhead; the proxy retries a request refused at connect on
/// another instance (the simulator counts it as a transport error); ping passes and response
/// feedback reach the policy later in scenario time, by the speedup (see ``TimeScale``).
public final class Emulator {
    /// The scenario (already limited to the requests to send, see ``Scenario/limited(scenario:requests:)``).
    public let scenario: Scenario
    /// The case emulated.
    public let scenarioCase: ScenarioCase
    /// The seed of arrivals, jitter, pings and routing choices.
    public let seed: UInt64
    /// The settings.
    public let settings: EmulationSettings
    /// What the emulation does, in time order.
    public let plan: EmulationPlan

    private let factory: QoSRouter.PolicyFactory
    private let service: String

    /// An emulation of `scenarioCase`; `factory` makes the routing policy (called once here to
    /// check it and read its connection needs, and once by the router). Throws
    /// ``ScenarioError`` for an unknown case or variant, and the factory's errors.
    public init(scenario: Scenario, scenarioCase: ScenarioCase, seed: UInt64, settings: EmulationSettings,
                factory: @escaping QoSRouter.PolicyFactory) throws {
        self.scenario = scenario
        self.scenarioCase = scenarioCase
        self.seed = seed
        self.settings = settings
        self.factory = factory
        self.service = scenario.slo.service
        self.plan = try EmulationPlan(scenario: scenario, scenarioCase: scenarioCase, seed: seed, requests: settings.requests)
    }

    /// Runs the emulation (about `plan.duration / speedup` wall-clock seconds); `progress` is
    /// called from the driving task every ``EmulationSettings/progressInterval`` seconds.
    public func run(progress: (@Sendable (EmulationProgress) -> Void)? = nil) async throws -> EmulationResult {
        let probe = try factory(service, nil, scenario.slo.tauMs)
        let clock = EmulationClock(scale: settings.timeScale)
        let cluster = EmulatedCluster(
            model: ClusterModel(scenario: scenario, seed: seed, warmConnections: probe.wantsWarmConnections,
                                nodePort: probe.dataPath == .nodePort),
            clock: clock)
        let world = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let proxyGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, settings.proxyThreads))
        let site = LoopbackSite(scenario: scenario, cluster: cluster, group: world)
        let running = RunningProxy()
        do {
            let result = try await drive(probe: probe, clock: clock, cluster: cluster, site: site, world: world,
                                         proxyGroup: proxyGroup, progress: progress, running: running)
            await cleanUp(running, site: site, world: world, proxyGroup: proxyGroup)
            return result
        } catch {
            await cleanUp(running, site: site, world: world, proxyGroup: proxyGroup)
            throw error
        }
    }

    /// Ends pinging, stops the proxy and releases it (its router's ping task ends with the
    /// router) with the proxy's event loops, then closes the emulated sockets and their loop.
    private func cleanUp(_ running: RunningProxy, site: LoopbackSite, world: MultiThreadedEventLoopGroup,
                         proxyGroup: MultiThreadedEventLoopGroup) async {
        site.quiesce()
        running.clients?.close()
        try? await running.server?.shutdown()
        running.server = nil
        running.router = nil
        running.clients = nil
        try? await proxyGroup.shutdownGracefully()
        await site.shutdown()
        try? await world.shutdownGracefully()
    }

    /// The parts of a run that must be released before the event loops stop.
    private final class RunningProxy {
        var router: QoSRouter?
        var server: ProxyServer?
        var clients: LoopbackClientPool?
    }

    private func drive(probe: any RoutingPolicy, clock: EmulationClock, cluster: EmulatedCluster, site: LoopbackSite,
                       world: MultiThreadedEventLoopGroup, proxyGroup: MultiThreadedEventLoopGroup,
                       progress: (@Sendable (EmulationProgress) -> Void)?,
                       running: RunningProxy) async throws -> EmulationResult {
        // The cluster at time 0: the nodes, and the initial instances deployed and known.
        try await site.startNodes()
        for name in plan.initialInstances {
            try await site.deploy(name)
            site.show(name)
        }

        // The real proxy on the scenario clock, pinging the emulated nodes.
        var logger = Logger(label: "aiotwin.emulate", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        let hooks = QoSRouterHooks(clock: { clock.now }, pinger: site.pinger(), pingPollInterval: settings.effectivePingPoll)
        running.router = QoSRouter(registry: site.registry(service: service, tauMs: scenario.slo.tauMs),
                               defaultTauMs: scenario.slo.tauMs, seed: seed, group: proxyGroup, logger: logger,
                               hooks: hooks, factory: factory)
        guard let router = running.router else { throw EmulationError.setup("no router") }
        if let failure = router.failures.withLockedValue({ $0[service] }) {
            throw EmulationError.setup("cannot create the routing policy: \(failure)")
        }
        var configuration = ProxyConfiguration(host: "127.0.0.1", port: 0)
        configuration.eventLoopThreads = max(1, settings.proxyThreads)
        let server = ProxyServer(configuration: configuration, router: router, group: proxyGroup, logger: logger)
        running.server = server
        let address = try await server.start()
        guard let proxyPort = address.port else { throw EmulationError.setup("the proxy has no port") }
        let driverLoop = world.next()
        let clients = LoopbackClientPool(port: proxyPort, loop: driverLoop)
        running.clients = clients
        try await clients.prewarm(settings.prewarmedClientConnections)
        let generator = LoadGenerator(pool: clients, loop: driverLoop, cluster: cluster, service: service,
                                      method: scenario.workload.method, bodyBytes: scenario.workload.bodyBytes,
                                      requirement: scenario.requirement)

        // The plan, on the scenario clock.
        var outcomes: [EventLoopFuture<LoadOutcome>] = []
        outcomes.reserveCapacity(plan.requestCount)
        var lateness: [Double] = []
        var trace: [PoolChange] = []
        var poolAtPhaseEnd: [String: [String]] = [:]
        var phase = 0
        let pool = { router.pools()[self.service] ?? [] }
        let wallStart = DispatchTime.now().uptimeNanoseconds
        var lastReport = wallStart
        func report() {
            let (answered, successes) = generator.progress
            progress?(EmulationProgress(sent: outcomes.count, answered: answered, total: plan.requestCount, successes: successes,
                                        scenarioTime: clock.now,
                                        wallTime: Double(DispatchTime.now().uptimeNanoseconds - wallStart) * 1e-9))
        }
        func tracePool() {
            let current = pool()
            if trace.last?.pool != current, !(trace.isEmpty && current.isEmpty) {
                trace.append(PoolChange(time: clock.now, requestsSoFar: outcomes.count, pool: current))
            }
        }
        clock.start()
        tracePool()
        for step in plan.steps {
            let deadline = clock.deadline(forScenario: step.time)
            if deadline > .now() {
                try await driverLoop.scheduleTask(deadline: deadline) {}.futureResult.get()
            }
            if step.phase > phase {
                poolAtPhaseEnd[plan.phases[phase].id] = pool()
                phase = step.phase
            }
            switch step.action {
            case .request(let index):
                lateness.append(Double((NIODeadline.now() - deadline).nanoseconds) / 1e6)
                outcomes.append(generator.fire(index: index, phase: step.phase))
            case .deploy(let name):
                try await site.deploy(name)
            case .show(let name):
                site.show(name)
                router.update(site.registry(service: service, tauMs: scenario.slo.tauMs))
            case .stop(let name):
                await site.stop(name)
            case .hide(let name):
                site.hide(name)
                router.update(site.registry(service: service, tauMs: scenario.slo.tauMs))
            case .addServiceTime, .addRTT:
                cluster.apply(step.action)
            }
            tracePool()
            let now = DispatchTime.now().uptimeNanoseconds
            if Double(now - lastReport) * 1e-9 >= settings.progressInterval {
                lastReport = now
                report()
            }
        }
        let results = try await EventLoopFuture.whenAllSucceed(outcomes, on: driverLoop).get()
        tracePool()
        report()
        if let last = plan.phases.last { poolAtPhaseEnd[last.id] = pool() }
        let wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - wallStart) * 1e-9
        let attempts = (try? await server.metrics().attempts[service]) ?? [:]

        let records = results.sorted { $0.index < $1.index }.map { $0.record(requirement: scenario.requirement) }
        let summary = SimulationSummary(records: records, phaseIDs: plan.phases.map(\.id))
        let run = SimulationResult(algorithm: probe.name, scenarioCase: scenarioCase, seed: seed, records: records,
                                   summary: summary, poolTrace: trace, poolAtPhaseEnd: poolAtPhaseEnd, finalPools: [pool()])
        return EmulationResult(run: run, timeScale: settings.timeScale, wallSeconds: wallSeconds,
                               lateness: .init(samples: lateness.map { max(0, $0) }), attempts: attempts)
    }
}
