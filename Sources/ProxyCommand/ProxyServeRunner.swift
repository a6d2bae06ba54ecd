import Foundation
import Logging
import NIOCore
import NIOPosix
import Routing

/// Runs the reverse proxy from ``ProxyServeOptions`` until SIGINT or SIGTERM: loads the registry
/// (watched for changes), builds one routing policy per service, starts the SwiftNIO server,
/// prints `listening HOST:PORT`, and shuts down cleanly on the signal.
public enum ProxyServeRunner {
    /// Everything a policy maker gets for one service.
    public struct PolicyRequest: Sendable {
        /// The service.
        public let service: String
        /// The balancer named by the registry entry, else `--balancer`.
        public let balancer: String
        /// The proxy's node and the service's requirement (τ from the registry or `--tau-ms`).
        public let context: PolicyContext
        /// The algorithms of `--scenario` (empty without one).
        public let algorithms: OrderedMap<AlgorithmSpec>
        /// The proxy's logger.
        public let logger: Logger
    }

    /// Makes a service's policy; an error names the balancer and the ones available.
    public typealias PolicyMaker = @Sendable (PolicyRequest) throws -> any RoutingPolicy

    /// The policies every binary has: the algorithms of `--scenario`, then the built-ins.
    public static func builtinPolicy(_ request: PolicyRequest) throws -> any RoutingPolicy {
        guard let spec = request.algorithms[request.balancer] ?? PolicyFactory.builtins[request.balancer] else {
            throw ProxyServeError("unknown balancer '\(request.balancer)' (available: \(builtinNames(request.algorithms).joined(separator: ", ")))")
        }
        return PolicyFactory.make(spec, name: request.balancer, context: request.context)
    }

    /// The names ``builtinPolicy(_:)`` accepts.
    public static func builtinNames(_ algorithms: OrderedMap<AlgorithmSpec>) -> [String] {
        Array(algorithms.keys) + PolicyFactory.builtins.keys.filter { algorithms[$0] == nil }
    }

    /// Serves until SIGINT or SIGTERM.
    public static func run(_ options: ProxyServeOptions, policies: @escaping PolicyMaker) async throws {
        let level: Logger.Level = options.logRequests ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "aiotwin.proxy")
        let registry: UpstreamRegistry
        do {
            registry = try RegistryFile.load(path: options.config)
        } catch let error as RegistryFile.LoadError {
            // Name the file (an unreadable one is named already).
            if case .unreadable = error { throw error }
            throw ProxyServeError("\(options.config): \(error)")
        }
        let algorithms = try options.scenario.map {
            try Scenario.load(contentsOf: URL(fileURLWithPath: $0)).algorithms ?? OrderedMap()
        } ?? OrderedMap()
        let defaultBalancer = options.balancer, ownNode = options.node, tau = options.tauMs
        // τ comes from the router, which passes the entry of the registry being applied (a reload
        // may add services or change their thresholds).
        let factory: QoSRouter.PolicyFactory = { service, chosen, threshold in
            try policies(PolicyRequest(
                service: service, balancer: chosen ?? defaultBalancer,
                context: PolicyContext(ownNode: ownNode, requirement: QoSRequirement(tauMs: threshold)),
                algorithms: algorithms, logger: logger))
        }
        // Check every service's policy now: a misspelt balancer fails at start, not at the first request.
        for (service, entry) in registry.services {
            do { _ = try factory(service, entry.balancer, entry.latencyThresholdMs ?? tau) } catch let error where entry.balancer != nil {
                throw ProxyServeError("\(options.config): service \(service): \(error)")
            }
        }

        var configuration = ProxyConfiguration(host: options.host, port: options.port)
        configuration.eventLoopThreads = options.threads
        configuration.connectTimeout = .milliseconds(Int64(options.connectTimeoutMs))
        configuration.totalTimeout = .milliseconds(Int64(options.timeoutMs))
        configuration.logRequests = options.logRequests
        configuration.upstreamIdleTimeout = .milliseconds(Int64(max(1, options.upstreamIdleMs)))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        let router = QoSRouter(registry: registry, defaultTauMs: options.tauMs, seed: options.seed, group: group,
                               logger: logger, factory: factory)
        let server = ProxyServer(configuration: configuration, router: router, group: group, logger: logger)
        let watcher = RegistryFileWatcher(path: options.config, router: router, eventLoop: group.next(), logger: logger)
        // SIGINT and SIGTERM stop the proxy (no new connections, open ones closed) with status 0.
        // A plain handler writes the signal's number to a pipe (async-signal-safe); a thread reads
        // it. (Dispatch signal sources lost signals on Linux when another thread took them.)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw ProxyServeError("cannot create the signal pipe (errno \(errno))") }
        let (signals, received) = AsyncStream.makeStream(of: Int32.self)
        let readEnd = ends[0]
        Thread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n == 1 { received.yield(Int32(byte)) } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }.start()
        signalPipeWriteEnd = ends[1]
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
                errno = saved
            }
        }
        let address = try await server.start()
        print("listening \(options.host):\(address.port ?? options.port)")
        logger.info("serving \(registry.services.count) service(s) from \(options.config); default balancer \(options.balancer), τ \(options.tauMs) ms")
        for await number in signals {
            logger.info("signal \(number): shutting down")
            break
        }
        watcher.stop()
        try await server.shutdown()
        // The event loops end with the process: shutting them down here would leave the router's
        // repeated ping task scheduling on a closed loop (NIO logs an error for that).
    }
}

/// The write end of the signal pipe, for the SIGINT/SIGTERM handler (which cannot capture).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// A start-up error of the proxy, printed as its message.
public struct ProxyServeError: Error, CustomStringConvertible {
    /// The message: which file or option, and what was expected.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
