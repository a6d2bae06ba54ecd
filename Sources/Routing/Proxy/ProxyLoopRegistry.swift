import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The per-loop contexts of one server, created lazily as connections arrive on each loop.
final class ProxyLoopRegistry: Sendable {
    private let contexts = NIOLockedValueBox<[ObjectIdentifier: ProxyLoopContext]>([:])
    let configuration: ProxyConfiguration
    let router: any ProxyRouter
    let logger: Logger

    init(configuration: ProxyConfiguration, router: any ProxyRouter, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
    }

    /// The context of `eventLoop` (call on that loop).
    func context(for eventLoop: any EventLoop) -> ProxyLoopContext {
        let key = ObjectIdentifier(eventLoop)
        var created: ProxyLoopContext?
        let context = contexts.withLockedValue { contexts -> ProxyLoopContext in
            if let existing = contexts[key] { return existing }
            let context = ProxyLoopContext(eventLoop: eventLoop, configuration: configuration, router: router,
                                      logger: logger, registry: self)
            contexts[key] = context
            created = context
            return context
        }
        created?.startSweeping()
        return context
    }

    var all: [ProxyLoopContext] { contexts.withLockedValue { Array($0.values) } }

    /// Collects and merges the counters of every loop; completes on `eventLoop`.
    func snapshot(on eventLoop: any EventLoop) -> EventLoopFuture<ProxyMetricsSnapshot> {
        let futures = all.map { context in context.eventLoop.submit { context.snapshot() } }
        return EventLoopFuture.whenAllSucceed(futures, on: eventLoop).map { snapshots in
            var merged = ProxyMetricsSnapshot()
            for snapshot in snapshots { merged.merge(snapshot) }
            return merged
        }
    }

    func shutdown() -> EventLoopFuture<Void>? {
        let contexts = all
        guard let first = contexts.first else { return nil }
        let futures = contexts.map { context in context.eventLoop.submit { context.shutdown() } }
        return EventLoopFuture.andAllComplete(futures, on: first.eventLoop)
    }
}
