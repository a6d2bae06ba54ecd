import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import Routing

/// A router for tests: wraps another router, records outcomes; optionally picks instances in
/// registry order (deterministic failover tests).
final class RecordingRouter: ProxyRouter {
    let inner: StaticRouter
    let ordered: Bool
    private let outcomesBox = NIOLockedValueBox<[UpstreamOutcome]>([])
    private let routesBox = NIOLockedValueBox<[(String, [UpstreamID])]>([])

    init(_ inner: StaticRouter, ordered: Bool = false) {
        self.inner = inner
        self.ordered = ordered
    }

    var outcomes: [UpstreamOutcome] { outcomesBox.withLockedValue { $0 } }
    var routeCalls: Int { routesBox.withLockedValue { $0.count } }

    func route(service: String, excluding: [UpstreamID]) -> RouteDecision {
        routesBox.withLockedValue { $0.append((service, excluding)) }
        if ordered {
            guard let entry = inner.registry.services[service] else { return .unknownService }
            guard let first = entry.instances.first(where: { !excluding.contains($0.id) }) else {
                return .noInstance(retryAfterSeconds: 1)
            }
            return .upstream(first)
        }
        return inner.route(service: service, excluding: excluding)
    }

    func record(_ outcome: UpstreamOutcome) {
        outcomesBox.withLockedValue { $0.append(outcome) }
        inner.record(outcome)
    }

    var knownServices: [String] { inner.knownServices }
    func latencyThresholdMs(service: String) -> Double? { inner.latencyThresholdMs(service: service) }
    func poolSizes() -> [String: Int] { inner.poolSizes() }
}

/// A running proxy on an ephemeral port plus a client event loop group.
struct ProxyHarness {
    let server: ProxyServer
    let port: Int
    let clientGroup: MultiThreadedEventLoopGroup

    static func start(router: any ProxyRouter, threads: Int = 1,
                      configure: (inout ProxyConfiguration) -> Void = { _ in }) async throws -> ProxyHarness {
        var configuration = ProxyConfiguration(host: "127.0.0.1", port: 0)
        configuration.eventLoopThreads = threads
        configure(&configuration)
        var logger = Logger(label: "test.proxy")
        logger.logLevel = .warning
        let server = ProxyServer(configuration: configuration, router: router, logger: logger)
        let address = try await server.start()
        return ProxyHarness(server: server, port: address.port!, clientGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1))
    }

    static func start(services: [String: [TestUpstream]], ordered: Bool = false, threads: Int = 1,
                      configure: (inout ProxyConfiguration) -> Void = { _ in }) async throws -> (ProxyHarness, RecordingRouter) {
        let registry = UpstreamRegistry(instances: services.mapValues { $0.map(\.upstream) })
        let router = RecordingRouter(StaticRouter(registry: registry, seed: 42), ordered: ordered)
        return (try await start(router: router, threads: threads, configure: configure), router)
    }

    func client() async throws -> TestClient {
        try await TestClient.connect(port: port, group: clientGroup)
    }

    /// One request on a fresh connection.
    func get(_ uri: String, service: String? = nil, headers: [(String, String)] = []) async throws -> TestResponse {
        let client = try await client()
        defer { Task { await client.close() } }
        var all = headers
        if let service { all.append(("X-Service", service)) }
        if !all.contains(where: { $0.0.lowercased() == "host" }) { all.append(("Host", "127.0.0.1:\(port)")) }
        return try await client.request(.GET, uri, headers: all)
    }

    func raw(_ text: String, timeout: TimeAmount = .seconds(5)) async throws -> String {
        try await RawConnection.exchange(port: port, group: clientGroup, text, timeout: timeout)
    }

    func metrics() async throws -> ProxyMetricsSnapshot {
        try await server.metrics()
    }

    func stop() async {
        try? await server.shutdown()
        try? await clientGroup.shutdownGracefully()
    }
}

/// Polls `condition` every 20 ms for up to `timeout` seconds.
func eventually(timeout: Double = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout * 1e9))
    while NIODeadline.now() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A port on 127.0.0.1 where nothing listens (bound once, then closed).
func deadPort() async throws -> Int {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress!.port!
    try await channel.close()
    try await group.shutdownGracefully()
    return port
}
