import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import Routing
import Workbench

/// `aiotwin proxy serve`: the QoS-aware HTTP/1.1 reverse proxy.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the QoS-aware reverse proxy on a registry of services and instances.",
        discussion: """
            The registry (JSON, reloaded when it changes):
              {"services": {"dps": {"latencyThresholdMs": 80, "balancer": "slo_aware",
                "instances": [{"name": "s1", "address": "10.0.0.11:8080", "node": "worker1"}]}}}
            A request names its service with an X-Service header, else the first label of its Host.
            Each service is routed by a policy (--balancer, or the registry's "balancer"): a
            built-in (slo_aware, nodeport, peak_ewma_p2c), an algorithm of --scenario, or a Lua
            balancer or predictor plugin. /healthz and /metrics (Prometheus) are served locally.
            No per-request logging unless --log-requests.
            """)

    @Option(name: [.customLong("config"), .customLong("registry")], help: ArgumentHelp("The registry file (JSON).", valueName: "file"))
    var config: String

    @Option(help: "Listen address.")
    var host = "127.0.0.1"

    @Option(help: "Listen port (0: any free port, printed at start).")
    var port = 9090

    @Option(help: "Event loop threads (default: all cores).")
    var threads = System.coreCount

    @Option(help: "Default routing policy of services that do not name one.")
    var balancer = "slo_aware"

    @Option(help: "Default latency SLO τ in ms for services that do not give latencyThresholdMs.")
    var tauMs: Double = 80

    @Option(help: "This proxy's node name (policies prefer instances on it).")
    var node = ProcessInfo.processInfo.hostName

    @Option(help: ArgumentHelp("A scenario file whose algorithms (with their parameters) may be named as balancers.", valueName: "file"))
    var scenario: String?

    @Option(help: "Upstream connect timeout in ms.")
    var connectTimeoutMs = 1000

    @Option(help: "Upstream total timeout in ms.")
    var timeoutMs = 30_000

    @Option(help: "Close idle pooled upstream connections after this many ms.")
    var upstreamIdleMs = 30_000

    @Option(help: "Seed of the routing choices.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Another plugin directory (repeatable).", valueName: "dir"))
    var plugins: [String] = []

    @Flag(help: "Log every request (debug level).")
    var logRequests = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard threads >= 1, connectTimeoutMs >= 1, timeoutMs >= 1, tauMs > 0 else {
            throw ValidationError("--threads, --connect-timeout-ms, --timeout-ms and --tau-ms must be positive")
        }
    }

    func run() async throws {
        let level: Logger.Level = logRequests ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "aiotwin.proxy")
        let registry = try RegistryFile.load(path: config)
        let algorithms = try scenario.map { try Scenario.load(contentsOf: URL(fileURLWithPath: $0)).algorithms ?? OrderedMap() } ?? OrderedMap()
        let pluginDirectories = PluginCatalog.defaultDirectories(extra: plugins)
        let defaultBalancer = balancer, ownNode = node, tau = tauMs
        // One script host per service: Lua states are single-threaded, services are routed concurrently.
        let factory: QoSRouter.PolicyFactory = { service, chosen in
            var c = ScriptHost.Configuration()
            c.pluginDirectories = pluginDirectories
            c.print = { logger.info("\(service): \($0)") }
            let threshold = registry.services[service]?.latencyThresholdMs ?? tau
            let catalog = PolicyCatalog(algorithms: algorithms,
                                        context: PolicyContext(ownNode: ownNode, requirement: QoSRequirement(tauMs: threshold)),
                                        host: try ScriptHost(configuration: c))
            return try catalog.make(chosen ?? defaultBalancer)
        }
        // Check every service's policy now: a misspelt balancer fails at start, not at the first request.
        for (service, entry) in registry.services { _ = try factory(service, entry.balancer) }

        var configuration = ProxyConfiguration(host: host, port: port)
        configuration.eventLoopThreads = threads
        configuration.connectTimeout = .milliseconds(Int64(connectTimeoutMs))
        configuration.totalTimeout = .milliseconds(Int64(timeoutMs))
        configuration.logRequests = logRequests
        configuration.upstreamIdleTimeout = .milliseconds(Int64(max(1, upstreamIdleMs)))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let router = QoSRouter(registry: registry, defaultTauMs: tauMs, seed: seed, group: group, logger: logger, factory: factory)
        let server = ProxyServer(configuration: configuration, router: router, group: group, logger: logger)
        let watcher = RegistryFileWatcher(path: config, router: router, eventLoop: group.next(), logger: logger)
        // SIGINT and SIGTERM stop the proxy (no new connections, open ones closed) with status 0.
        let (signals, received) = AsyncStream.makeStream(of: Int32.self)
        let signalSources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { received.yield(number) }
            source.resume()
            return source
        }
        let address = try await server.start()
        print("listening \(host):\(address.port ?? port)")
        logger.info("serving \(registry.services.count) service(s) from \(config); default balancer \(balancer), τ \(tauMs) ms")
        for await number in signals {
            logger.info("signal \(number): shutting down")
            break
        }
        watcher.stop()
        try await server.shutdown()
        signalSources.forEach { $0.cancel() }
        // The event loops end with the process: shutting them down here would leave the router's
        // repeated ping task scheduling on a closed loop (NIO logs an error for that).
    }
}
