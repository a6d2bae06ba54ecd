import NIOCore

/// What one attempt ended as, for the `outcome` label: the upstream status class, or the
/// transport error.
enum ProxyOutcomeLabel: Hashable, Sendable {
    case status(Int)  // status / 100
    case error(UpstreamErrorKind)

    var text: String {
        switch self {
        case .status(let statusClass): "\(statusClass)xx"
        case .error(let kind): kind.rawValue
        }
    }
}

/// Attempt counters of one (service, upstream) pair.
final class ProxyOutcomeCounts {
    var values = [UInt64](repeating: 0, count: ProxyOutcomeLabel.indexCount)
}

extension ProxyOutcomeLabel {
    static let indexCount = 6 + UpstreamErrorKind.allCases.count

    /// 0...5 for status classes 0xx...5xx, then the error kinds.
    var index: Int {
        switch self {
        case .status(let statusClass): min(max(statusClass, 0), 5)
        case .error(let kind): 6 + UpstreamErrorKind.allCases.firstIndex(of: kind)!
        }
    }

    init(index: Int) {
        self = index < 6 ? .status(index) : .error(UpstreamErrorKind.allCases[index - 6])
    }
}

/// Why the proxy answered a request itself, before forwarding.
enum ProxyRejectReason: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case ipHost = "ip_host"
    case unknownService = "unknown_service"
    case noInstance = "no_instance"
    case headerTooLarge = "header_too_large"
    case bodyTooLarge = "body_too_large"
    case methodNotAllowed = "method_not_allowed"
}

/// Counters of one event loop. Confined to that loop (no locks, no atomics on the request path);
/// `/metrics` collects a ``ProxyMetricsSnapshot`` from every loop and merges them.
final class ProxyLoopMetrics {
    struct OutcomeKey: Hashable, Sendable {
        var upstream: UpstreamID
        var outcome: ProxyOutcomeLabel
    }

    /// Per-service counters; a class so that the request path mutates in place.
    final class ServiceStats {
        let name: String
        let edgesSeconds: [Double]
        var bucketCounts: [UInt64]  // per bucket, last = +Inf (not cumulative)
        var sumSeconds: Double = 0
        var count: UInt64 = 0
        /// Attempt counts per upstream, indexed by ``ProxyOutcomeLabel/index``.
        var outcomeCounts: [UpstreamID: ProxyOutcomeCounts] = [:]
        private var lastUpstream: UpstreamID?
        private var lastCounts: ProxyOutcomeCounts?
        var retries: UInt64 = 0
        var cachedTimeout: TimeAmount?

        /// Counts one attempt; the last upstream's counters are cached (no hashing when the same
        /// instance serves consecutive requests).
        @inline(__always)
        func count(_ label: ProxyOutcomeLabel, upstream: UpstreamID) {
            let counts: ProxyOutcomeCounts
            if let lastCounts, lastUpstream == upstream {
                counts = lastCounts
            } else if let existing = outcomeCounts[upstream] {
                counts = existing
            } else {
                counts = ProxyOutcomeCounts()
                outcomeCounts[upstream] = counts
            }
            lastUpstream = upstream
            lastCounts = counts
            counts.values[label.index] &+= 1
        }

        var outcomes: [OutcomeKey: UInt64] {
            var result: [OutcomeKey: UInt64] = [:]
            for (upstream, counts) in outcomeCounts {
                for (index, value) in counts.values.enumerated() where value > 0 {
                    result[OutcomeKey(upstream: upstream, outcome: ProxyOutcomeLabel(index: index))] = value
                }
            }
            return result
        }

        init(name: String, edgesSeconds: [Double]) {
            self.name = name
            self.edgesSeconds = edgesSeconds
            self.bucketCounts = Array(repeating: 0, count: edgesSeconds.count + 1)
        }

        @inline(__always)
        func observe(seconds: Double) {
            var index = 0
            let edges = edgesSeconds
            while index < edges.count && seconds > edges[index] { index += 1 }
            bucketCounts[index] &+= 1
            sumSeconds += seconds
            count &+= 1
        }
    }

    private let bucketsMs: [Double]
    var services: [String: ServiceStats] = [:]
    var rejected: [ProxyRejectReason: UInt64] = [:]
    /// Responses by status code 0...599 (index = code).
    var responseCounts = [UInt64](repeating: 0, count: 600)
    var inFlight = 0
    var clientConnections = 0
    var clientConnectionsTotal: UInt64 = 0
    var upstreamConnects: [UpstreamID: (ok: UInt64, failed: UInt64)] = [:]

    init(bucketsMs: [Double]) {
        self.bucketsMs = bucketsMs
    }

    @inline(__always)
    func countResponse(_ code: Int) {
        responseCounts[min(max(code, 0), 599)] &+= 1
    }

    /// The stats of a service, created on first use with τ added as a bucket edge.
    @inline(__always)
    func service(_ name: String, router: any ProxyRouter) -> ServiceStats {
        if let stats = services[name] { return stats }
        var edges = bucketsMs
        if let tau = router.latencyThresholdMs(service: name), tau > 0, !edges.contains(tau) {
            edges.append(tau)
        }
        let stats = ServiceStats(name: name, edgesSeconds: edges.sorted().map { $0 / 1000 })
        services[name] = stats
        return stats
    }

    func snapshot(pools: [UpstreamPoolSnapshot]) -> ProxyMetricsSnapshot {
        var snapshot = ProxyMetricsSnapshot()
        for (name, stats) in services {
            snapshot.services[name] = .init(
                edgesSeconds: stats.edgesSeconds, bucketCounts: stats.bucketCounts, sumSeconds: stats.sumSeconds,
                count: stats.count, outcomes: stats.outcomes, retries: stats.retries)
        }
        snapshot.rejected = rejected
        for (code, count) in responseCounts.enumerated() where count > 0 { snapshot.responses[code] = count }
        snapshot.inFlight = inFlight
        snapshot.clientConnections = clientConnections
        snapshot.clientConnectionsTotal = clientConnectionsTotal
        for (id, counts) in upstreamConnects {
            snapshot.upstreamConnects[id] = [counts.ok, counts.failed]
        }
        for pool in pools {
            snapshot.upstreamConnections[pool.id, default: [0, 0]][0] += pool.busy
            snapshot.upstreamConnections[pool.id, default: [0, 0]][1] += pool.idle
        }
        return snapshot
    }
}

extension ProxyLoopMetrics.ServiceStats {
    /// The request timeout for the service (router override or default).
    func totalTimeout(default fallback: TimeAmount, router: any ProxyRouter, service: String) -> TimeAmount {
        if let cached = cachedTimeout { return cached }
        let value = router.totalTimeoutSeconds(service: service).map { TimeAmount.nanoseconds(Int64($0 * 1e9)) } ?? fallback
        cachedTimeout = value
        return value
    }
}
