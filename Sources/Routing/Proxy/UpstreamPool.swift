import NIOCore
import NIOHTTP1
import NIOPosix

/// The keep-alive connections to one upstream instance from one event loop.
///
/// Loop-confined (no locks): each event loop has its own pools, so a client connection and the
/// upstream connection serving it always share a thread. Idle connections are reused LIFO (the
/// warmest first), capped at ``ProxyConfiguration/maxIdleConnectionsPerUpstream``, evicted when the
/// upstream closes them or after ``ProxyConfiguration/upstreamIdleTimeout``.
final class UpstreamPool {
    let upstream: Upstream
    unowned let loop: ProxyLoopContext
    /// Pre-parsed when the host is an IP literal, so that connecting needs no resolver.
    private let address: SocketAddress?
    private(set) var idle: [UpstreamConnection] = []
    /// Every open connection (busy and idle), for shutdown and diagnostics.
    private(set) var all: [ObjectIdentifier: UpstreamConnection] = [:]
    /// Established connections not yet closed (busy and idle).
    private(set) var open = 0
    private(set) var connecting = 0
    var lastUsed = NIODeadline.now()
    /// Dropped from its loop's table by the sweep; must not be used any more.
    var isRetired = false

    init(upstream: Upstream, loop: ProxyLoopContext) {
        self.upstream = upstream
        self.loop = loop
        self.address = try? SocketAddress(ipAddress: upstream.host, port: upstream.port)
    }

    var busy: Int { open - idle.count }

    /// The most recently used idle connection, if any.
    @inline(__always)
    func takeIdle() -> UpstreamConnection? {
        while let connection = idle.popLast() {
            connection.isIdle = false
            if connection.isUsable { return connection }
        }
        return nil
    }

    /// Returns a connection after a complete exchange; closes it if the pool is full or shutting down.
    func release(_ connection: UpstreamConnection) {
        connection.exchange = nil
        guard connection.isUsable else { return }
        if idle.count >= loop.configuration.maxIdleConnectionsPerUpstream || loop.isShuttingDown {
            connection.close()
            return
        }
        connection.isIdle = true
        connection.idleSince = .now()
        idle.append(connection)
        connection.resumeReading()  // an idle connection must notice the upstream closing it
    }

    /// Called by the connection when its channel became inactive.
    func connectionClosed(_ connection: UpstreamConnection) {
        open -= 1
        all[ObjectIdentifier(connection)] = nil
        if connection.isIdle {
            connection.isIdle = false
            if let index = idle.lastIndex(where: { $0 === connection }) { idle.remove(at: index) }
        }
    }

    /// Opens a new connection on this pool's event loop. `completion` runs on the loop.
    func connect(_ completion: @escaping (Result<UpstreamConnection, any Error>) -> Void) {
        connecting += 1
        lastUsed = .now()
        // No HTTP handlers: the UpstreamConnection added below writes and parses HTTP itself.
        let bootstrap = ClientBootstrap(group: loop.eventLoop)
            .connectTimeout(loop.configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        let future: EventLoopFuture<any Channel>
        if let address {
            future = bootstrap.connect(to: address)
        } else {
            future = bootstrap.connect(host: upstream.host, port: upstream.port)
        }
        future.assumeIsolated().whenComplete { result in
            self.connecting -= 1
            switch result {
            case .success(let channel):
                guard channel.isActive else {
                    self.loop.metrics.upstreamConnects[self.upstream.id, default: (0, 0)].failed += 1
                    completion(.failure(ChannelError.ioOnClosedChannel))
                    return
                }
                let connection = UpstreamConnection(pool: self)
                do {
                    try channel.pipeline.syncOperations.addHandler(connection)
                } catch {
                    channel.close(promise: nil)
                    self.loop.metrics.upstreamConnects[self.upstream.id, default: (0, 0)].failed += 1
                    completion(.failure(error))
                    return
                }
                self.open += 1
                self.all[ObjectIdentifier(connection)] = connection
                self.loop.metrics.upstreamConnects[self.upstream.id, default: (0, 0)].ok += 1
                completion(.success(connection))
            case .failure(let error):
                self.loop.metrics.upstreamConnects[self.upstream.id, default: (0, 0)].failed += 1
                completion(.failure(error))
            }
        }
    }

    /// Closes idle connections unused since `cutoff`.
    func closeIdle(olderThan cutoff: NIODeadline) {
        guard !idle.isEmpty else { return }
        let stale = idle.filter { $0.idleSince < cutoff }
        for connection in stale { connection.close() }
    }

    /// Closes every idle connection.
    func closeAllIdle() {
        let idleNow = idle
        for connection in idleNow { connection.close() }
    }

    /// Closes every connection, busy ones included.
    func closeAll() {
        let open = Array(all.values)
        for connection in open { connection.close() }
    }

    var debugState: String {
        all.values.map { $0.debugState }.joined(separator: "; ")
    }
}
