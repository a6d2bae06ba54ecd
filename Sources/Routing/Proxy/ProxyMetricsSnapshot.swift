import NIOCore

/// Open connections of one pool at snapshot time.
struct UpstreamPoolSnapshot: Sendable {
    var id: UpstreamID
    var busy: Int
    var idle: Int
}

/// A mergeable, sendable copy of the counters of one or more event loops.
public struct ProxyMetricsSnapshot: Sendable {
    struct Service: Sendable {
        var edgesSeconds: [Double]
        var bucketCounts: [UInt64]
        var sumSeconds: Double
        var count: UInt64
        var outcomes: [ProxyLoopMetrics.OutcomeKey: UInt64]
        var retries: UInt64
    }

    var services: [String: Service] = [:]
    var rejected: [ProxyRejectReason: UInt64] = [:]
    var responses: [Int: UInt64] = [:]
    var upstreamConnects: [UpstreamID: [UInt64]] = [:]  // [ok, failed]
    var upstreamConnections: [UpstreamID: [Int]] = [:]  // [busy, idle]

    /// Requests being forwarded right now.
    public internal(set) var inFlight = 0
    /// Open client connections.
    public internal(set) var clientConnections = 0
    /// Client connections accepted since start.
    public internal(set) var clientConnectionsTotal: UInt64 = 0

    /// Open upstream connections (busy plus idle) over all instances and event loops.
    public var upstreamConnectionsOpen: Int { upstreamConnections.values.reduce(0) { $0 + $1[0] + $1[1] } }
    /// Idle pooled upstream connections over all instances and event loops.
    public var upstreamConnectionsIdle: Int { upstreamConnections.values.reduce(0) { $0 + $1[1] } }
    /// Successful upstream connects since start, over all instances.
    public var upstreamConnectsTotal: UInt64 { upstreamConnects.values.reduce(0) { $0 + $1[0] } }
    /// Forwarding attempts by (service, upstream, outcome label).
    public var attempts: [String: [String: [String: UInt64]]] {
        var result: [String: [String: [String: UInt64]]] = [:]
        for (name, service) in services {
            for (key, count) in service.outcomes {
                result[name, default: [:]][key.upstream.rawValue, default: [:]][key.outcome.text, default: 0] += count
            }
        }
        return result
    }
    /// Responses sent to clients by status code (proxied and local).
    public var responsesByStatus: [Int: UInt64] { responses }

    init() {}

    mutating func merge(_ other: ProxyMetricsSnapshot) {
        for (name, service) in other.services {
            guard var mine = services[name] else {
                services[name] = service
                continue
            }
            if mine.edgesSeconds == service.edgesSeconds {
                for index in mine.bucketCounts.indices { mine.bucketCounts[index] += service.bucketCounts[index] }
            } else {
                // τ differed when the loops first saw the service: re-bucket by upper edge.
                for (index, count) in service.bucketCounts.enumerated() {
                    let edge = index < service.edgesSeconds.count ? service.edgesSeconds[index] : .infinity
                    let target = mine.edgesSeconds.firstIndex { $0 >= edge } ?? mine.edgesSeconds.count
                    mine.bucketCounts[target] += count
                }
            }
            mine.sumSeconds += service.sumSeconds
            mine.count += service.count
            mine.retries += service.retries
            mine.outcomes.merge(service.outcomes, uniquingKeysWith: +)
            services[name] = mine
        }
        rejected.merge(other.rejected, uniquingKeysWith: +)
        responses.merge(other.responses, uniquingKeysWith: +)
        upstreamConnects.merge(other.upstreamConnects) { [$0[0] + $1[0], $0[1] + $1[1]] }
        upstreamConnections.merge(other.upstreamConnections) { [$0[0] + $1[0], $0[1] + $1[1]] }
        inFlight += other.inFlight
        clientConnections += other.clientConnections
        clientConnectionsTotal += other.clientConnectionsTotal
    }

    /// Renders the Prometheus text exposition format (version 0.0.4).
    func render(router: any ProxyRouter) -> String {
        var out = ""
        out.reserveCapacity(4096)
        func header(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func line(_ name: String, _ labels: [(String, String)], _ value: String) {
            out += name
            if !labels.isEmpty {
                out += "{"
                out += labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
                out += "}"
            }
            out += " \(value)\n"
        }

        let serviceNames = services.keys.sorted()
        header("aiotwin_proxy_requests_total", "counter",
               "Forwarding attempts by service, upstream instance and outcome (upstream status class or transport error).")
        for name in serviceNames {
            let outcomes = services[name]!.outcomes.sorted {
                ($0.key.upstream.rawValue, $0.key.outcome.text) < ($1.key.upstream.rawValue, $1.key.outcome.text)
            }
            for (key, count) in outcomes {
                line("aiotwin_proxy_requests_total",
                     [("service", name), ("upstream", key.upstream.rawValue), ("outcome", key.outcome.text)], "\(count)")
            }
        }

        header("aiotwin_proxy_upstream_response_seconds", "histogram",
               "Time from the start of a forwarding attempt to the upstream response head, per service (an edge at the service's latency threshold when known).")
        for name in serviceNames {
            let service = services[name]!
            var cumulative: UInt64 = 0
            for (index, edge) in service.edgesSeconds.enumerated() {
                cumulative += service.bucketCounts[index]
                line("aiotwin_proxy_upstream_response_seconds_bucket", [("service", name), ("le", formatDouble(edge))],
                     "\(cumulative)")
            }
            cumulative += service.bucketCounts[service.edgesSeconds.count]
            line("aiotwin_proxy_upstream_response_seconds_bucket", [("service", name), ("le", "+Inf")], "\(cumulative)")
            line("aiotwin_proxy_upstream_response_seconds_sum", [("service", name)], formatDouble(service.sumSeconds))
            line("aiotwin_proxy_upstream_response_seconds_count", [("service", name)], "\(service.count)")
        }

        header("aiotwin_proxy_retries_total", "counter", "Requests retried on another instance, per service.")
        for name in serviceNames {
            line("aiotwin_proxy_retries_total", [("service", name)], "\(services[name]!.retries)")
        }

        header("aiotwin_proxy_rejected_total", "counter", "Requests answered by the proxy without forwarding, by reason.")
        for reason in ProxyRejectReason.allCases {
            line("aiotwin_proxy_rejected_total", [("reason", reason.rawValue)], "\(rejected[reason] ?? 0)")
        }

        header("aiotwin_proxy_responses_total", "counter", "Responses sent to clients, by status code.")
        for (code, count) in responses.sorted(by: { $0.key < $1.key }) {
            line("aiotwin_proxy_responses_total", [("code", "\(code)")], "\(count)")
        }

        header("aiotwin_proxy_requests_in_flight", "gauge", "Requests being forwarded.")
        line("aiotwin_proxy_requests_in_flight", [], "\(inFlight)")
        header("aiotwin_proxy_client_connections", "gauge", "Open client connections.")
        line("aiotwin_proxy_client_connections", [], "\(clientConnections)")
        header("aiotwin_proxy_client_connections_total", "counter", "Client connections accepted.")
        line("aiotwin_proxy_client_connections_total", [], "\(clientConnectionsTotal)")

        header("aiotwin_proxy_upstream_connections", "gauge", "Open upstream connections by instance and state.")
        for (id, counts) in upstreamConnections.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            line("aiotwin_proxy_upstream_connections", [("upstream", id.rawValue), ("state", "busy")], "\(counts[0])")
            line("aiotwin_proxy_upstream_connections", [("upstream", id.rawValue), ("state", "idle")], "\(counts[1])")
        }
        header("aiotwin_proxy_upstream_connects_total", "counter", "Upstream connection attempts by instance and result.")
        for (id, counts) in upstreamConnects.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            line("aiotwin_proxy_upstream_connects_total", [("upstream", id.rawValue), ("result", "ok")], "\(counts[0])")
            line("aiotwin_proxy_upstream_connects_total", [("upstream", id.rawValue), ("result", "error")], "\(counts[1])")
        }

        let known = router.knownServices
        header("aiotwin_proxy_known_services", "gauge", "Services the router knows.")
        line("aiotwin_proxy_known_services", [], "\(known.count)")
        header("aiotwin_proxy_slo_threshold_seconds", "gauge", "Latency threshold τ per service, when known.")
        for name in known {
            if let tau = router.latencyThresholdMs(service: name) {
                line("aiotwin_proxy_slo_threshold_seconds", [("service", name)], formatDouble(tau / 1000))
            }
        }
        let pools = router.poolSizes()
        if !pools.isEmpty {
            header("aiotwin_routing_pool_size", "gauge", "QoS pool size per service, as reported by the router.")
            for (name, size) in pools.sorted(by: { $0.key < $1.key }) {
                line("aiotwin_routing_pool_size", [("service", name)], "\(size)")
            }
        }
        return out
    }

    private func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    private func formatDouble(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
