import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Everything the proxy keeps per event loop: upstream pools, counters, open client connections.
///
/// Confined to its event loop: only code running on `eventLoop` touches its mutable state, so the
/// request path needs no locks. (`@unchecked Sendable` only so that it can be handed to its own
/// loop from the server and from `/metrics` collection, which always hop onto `eventLoop` first.)
final class ProxyLoopContext: @unchecked Sendable {
    let eventLoop: any EventLoop
    let configuration: ProxyConfiguration
    let router: any ProxyRouter
    let logger: Logger
    weak var registry: ProxyLoopRegistry?
    let metrics: ProxyLoopMetrics
    private(set) var pools: [Upstream: UpstreamPool] = [:]
    private var clients: [ObjectIdentifier: ProxyConnectionHandler] = [:]
    private var sweepTask: RepeatedTask?
    private(set) var isShuttingDown = false

    init(eventLoop: any EventLoop, configuration: ProxyConfiguration, router: any ProxyRouter, logger: Logger,
         registry: ProxyLoopRegistry) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.registry = registry
        self.metrics = ProxyLoopMetrics(bucketsMs: configuration.latencyBucketsMs)
    }

    /// Starts the periodic eviction of idle upstream connections and unused pools.
    func startSweeping() {
        let idleTimeout = configuration.upstreamIdleTimeout
        let period = TimeAmount.nanoseconds(max(100_000_000, min(idleTimeout.nanoseconds / 2, 5_000_000_000)))
        sweepTask = eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { [self] _ in
            self.sweep()
        }
    }

    /// The pool for an upstream on this loop, created on first use.
    @inline(__always)
    func pool(for upstream: Upstream) -> UpstreamPool {
        if let pool = pools[upstream] { return pool }
        let pool = UpstreamPool(upstream: upstream, loop: self)
        pools[upstream] = pool
        return pool
    }

    func clientOpened(_ handler: ProxyConnectionHandler) {
        clients[ObjectIdentifier(handler)] = handler
        metrics.clientConnections += 1
        metrics.clientConnectionsTotal += 1
    }

    func clientClosed(_ handler: ProxyConnectionHandler) {
        if clients.removeValue(forKey: ObjectIdentifier(handler)) != nil {
            metrics.clientConnections -= 1
        }
    }

    /// Closes idle upstream connections past their idle timeout and forgets empty, unused pools
    /// (so that instances removed from the registry do not accumulate).
    func sweep() {
        let now = NIODeadline.now()
        let cutoff = now - configuration.upstreamIdleTimeout
        var unused: [Upstream] = []
        for (upstream, pool) in pools {
            pool.closeIdle(olderThan: cutoff)
            if pool.open == 0 && pool.connecting == 0 && pool.lastUsed < cutoff { unused.append(upstream) }
        }
        for upstream in unused { pools.removeValue(forKey: upstream)?.isRetired = true }
    }

    var debugState: String { pools.values.map { $0.debugState }.joined(separator: "\n") }

    func snapshot() -> ProxyMetricsSnapshot {
        metrics.snapshot(pools: pools.values.map { UpstreamPoolSnapshot(id: $0.upstream.id, busy: $0.busy, idle: $0.idle.count) })
    }

    /// Closes all client connections and all upstream connections.
    func shutdown() {
        isShuttingDown = true
        sweepTask?.cancel()
        sweepTask = nil
        for handler in Array(clients.values) { handler.closeConnection() }
        for pool in pools.values { pool.closeAll() }
    }
}
