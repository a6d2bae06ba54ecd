/// Bookkeeping of one asynchronous ping pass: the nodes to ping (handed to the host once, to be
/// pinged sequentially) and the results as they arrive.
struct PingPass: Sendable {
    /// When the pass was started (s).
    let startedAt: Double
    /// Nodes in pass order (pinged or answered from a cache).
    let nodes: [String]
    /// Nodes the host must ping, in order.
    private(set) var toPing: [String]
    /// Whether `toPing` was handed to the host.
    private(set) var handedOut = false
    /// Results by node: latency in ms (`nil` = error) and completion time.
    private(set) var results: [String: (latencyMs: Double?, at: Double)] = [:]
    private var outstanding: [String: Int] = [:]

    init(startedAt: Double, nodes: [String], toPing: [String], cached: [String: Double]) {
        self.startedAt = startedAt
        self.nodes = nodes
        self.toPing = toPing
        for (node, latency) in cached { results[node] = (latency, startedAt) }
        for node in toPing { outstanding[node, default: 0] += 1 }
    }

    /// Whether every requested ping has answered.
    var isComplete: Bool { outstanding.isEmpty }

    /// The nodes to ping, once.
    mutating func take() -> [String] {
        guard !handedOut else { return [] }
        handedOut = true
        return toPing
    }

    /// Records a result; `false` if the pass did not expect it.
    mutating func record(node: String, latencyMs: Double?, at now: Double) -> Bool {
        guard let n = outstanding[node] else { return false }
        if n <= 1 { outstanding[node] = nil } else { outstanding[node] = n - 1 }
        results[node] = (latencyMs, now)
        return true
    }
}
