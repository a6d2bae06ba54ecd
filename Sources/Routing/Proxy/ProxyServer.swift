import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 reverse proxy built directly on SwiftNIO channel handlers.
///
/// Each accepted client connection gets NIO's request decoder (with the configured head limit) and
/// a ``ProxyConnectionHandler``, which writes responses itself (``HTTPMessageWriter``). Upstream
/// connections are opened on the client connection's own event loop and pooled per upstream per
/// loop, so a request and its response never change threads, and bodies travel as the
/// `ByteBuffer`s NIO read.
///
/// ```swift
/// let router = StaticRouter(registry: try RegistryFile.load(path: "registry.json"))
/// let server = ProxyServer(configuration: .init(host: "0.0.0.0", port: 9090), router: router)
/// try await server.start()
/// // ...
/// try await server.shutdown()
/// ```
///
/// Local endpoints (requests without `X-Service`): `GET /healthz` → `200 ok`, `GET /metrics` →
/// Prometheus text (see ``ProxyMetricsSnapshot``).
public final class ProxyServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: ProxyConfiguration
    /// The routing seam.
    public let router: any ProxyRouter
    private let logger: Logger
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let registry: ProxyLoopRegistry
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    /// Creates a server (not yet listening).
    ///
    /// - Parameters:
    ///   - group: Event loops to run on; by default the server creates
    ///     ``ProxyConfiguration/eventLoopThreads`` threads and shuts them down in ``shutdown()``.
    public init(configuration: ProxyConfiguration, router: any ProxyRouter, group: (any EventLoopGroup)? = nil,
                logger: Logger = Logger(label: "aiotwin.proxy")) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        if let group {
            self.group = group
            self.ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
            self.ownsGroup = true
        }
        self.registry = ProxyLoopRegistry(configuration: configuration, router: router, logger: logger)
    }

    /// Binds the listening socket. Returns once the server accepts connections.
    @discardableResult
    public func start() async throws -> SocketAddress {
        let configuration = self.configuration
        let registry = self.registry
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = configuration.maxHeaderBytes
        limits.maxHeaderListSize = configuration.maxHeaderBytes
        let decoderLimits = limits

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let loop = registry.context(for: channel.eventLoop)
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes,
                                                                limitConfiguration: decoderLimits)))
                    try sync.addHandler(ProxyConnectionHandler(loop: loop))
                }
            }
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        self.channel.withLockedValue { $0 = channel }
        let address = channel.localAddress!
        logger.info("proxy listening", metadata: ["address": "\(address)", "threads": "\(configuration.eventLoopThreads)"])
        return address
    }

    /// The bound address, once started.
    public var localAddress: SocketAddress? {
        channel.withLockedValue { $0?.localAddress }
    }

    /// Stops accepting, closes client connections and pooled upstream connections, and shuts the
    /// event loops down if the server created them.
    public func shutdown() async throws {
        if let channel = channel.withLockedValue({ value -> (any Channel)? in
            defer { value = nil }
            return value
        }) {
            try? await channel.close()
        }
        if let closing = registry.shutdown() {
            try? await closing.get()
        }
        if ownsGroup {
            try await group.shutdownGracefully()
        }
    }

    /// The merged counters of all event loops.
    public func metrics() async throws -> ProxyMetricsSnapshot {
        try await registry.snapshot(on: group.any()).get()
    }

    func debugState() async throws -> String {
        var out = ""
        for context in registry.all { out += try await context.eventLoop.submit { context.debugState }.get() + "\n" }
        return out
    }

    /// The `/metrics` text.
    public func metricsText() async throws -> String {
        try await metrics().render(router: router)
    }
}
