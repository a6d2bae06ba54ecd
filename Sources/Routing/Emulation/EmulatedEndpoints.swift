/// The behaviours of the emulated sockets: an instance answers after its planned response
/// time (``ClusterModel/admit(_:at:)``) and names itself in `X-Instance`; a node answers a ping
/// after the ping model's duration.
enum EmulatedEndpoints {
    /// Header carrying the load generator's request number (echoed nowhere, noted in the ledger).
    static let requestIndexHeader = "X-Request-Index"
    /// Header naming the instance that answered.
    static let instanceHeader = "X-Instance"
    /// Header telling whether the request paid a connection handshake (`1`) or not (`0`).
    static let coldHeader = "X-Emulation-Cold"
    /// Header carrying a ping's modeled duration (ms).
    static let pingHeader = "X-Emulation-Ping-Ms"

    /// Instance `name` of `cluster`.
    static func instance(_ name: String, cluster: EmulatedCluster) -> EndpointBehaviour {
        { _, headers in
            if let value = headers.first(where: { $0.0.lowercased() == requestIndexHeader.lowercased() })?.1,
               let index = Int(value) {
                cluster.received(request: index, by: name)
            }
            let plan = cluster.admit(name)
            return EndpointAnswer(delayMs: plan.delayMs,
                                  headers: [(instanceHeader, name), (coldHeader, plan.cold ? "1" : "0")],
                                  onSent: { cluster.release(name) })
        }
    }

    /// The proxy of node `node` of `cluster`, as a ping target (`GET /echo`): it waits the
    /// ping's modeled duration on the scenario clock and names it in `X-Emulation-Ping-Ms`
    /// (see ``PingTiming``).
    static func node(_ node: String, cluster: EmulatedCluster) -> EndpointBehaviour {
        { _, _ in
            let modelMs = cluster.pingDurationMs(node)
            return EndpointAnswer(delayMs: PingTiming.wallDelayMs(modelMs: modelMs, scale: cluster.clock.scale),
                                  headers: [("X-Node", node), (pingHeader, String(modelMs))],
                                  onSent: { cluster.pingEnded(node) })
        }
    }
}
