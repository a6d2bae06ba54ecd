import Foundation
#if canImport(Learning)
import Learning
#endif

/// The scenario's latency model applied to a loopback cluster: per-node round trips, per-instance
/// service times and FIFO queues, the logical proxy → instance connections and the node pings.
///
/// A value type with pure transitions; ``EmulatedCluster`` shares one behind a lock between the
/// instance and node servers. Times are **scenario seconds**, durations milliseconds. It mirrors
/// the ``Simulator``: a request that reaches instance `i` on node `n` at `now` is answered after
///
/// `[cold]·extra_round_trips·(r_n+h) + (r_n+h) + q_i + s_i + [n≠proxy]·x + j` ms
///
/// (the client hop `c` and the proxy overhead `o` are the real ones), where `q_i` is the wait in
/// a FIFO single server that runs on the scenario clock (see ``TimeScale``). The NodePort data
/// path adds `nodeport.extra_ms` and is never cold.
public struct ClusterModel: Sendable {
    /// The scenario's latency model.
    public let latency: LatencyModel
    /// The node all requests enter (no cross-node overhead for its instances).
    public let proxyNode: String
    /// Whether the proxy keeps warm connections (the policy's ``RoutingPolicy/wantsWarmConnections``).
    public let warmConnections: Bool
    /// Whether requests take the NodePort path (the policy's ``RoutingPolicy/dataPath``).
    public let nodePort: Bool

    /// Current round trip from the proxy node per node (ms).
    public private(set) var rttMs: [String: Double]
    /// Current service time per instance (ms).
    public private(set) var serviceMs: [String: Double]
    /// Node of each instance.
    public let nodeOf: [String: String]
    /// When each instance's server is next free (scenario seconds).
    public private(set) var serverFreeAt: [String: Double] = [:]
    /// The logical connection to each instance the proxy knows.
    public private(set) var connections: [String: LogicalConnection] = [:]
    /// When the last ping to each node ended (scenario seconds).
    public private(set) var pingLastEnd: [String: Double] = [:]

    private let baseServiceMs: [String: Double]
    private var jitterRNG: SeededGenerator
    private var pingRNG: SeededGenerator

    /// The model of `scenario` at time 0 (no instance known to the proxy yet; see
    /// ``apply(_:at:)``). `seed` seeds the jitter and ping-noise streams.
    public init(scenario: Scenario, seed: UInt64, warmConnections: Bool, nodePort: Bool) {
        latency = scenario.latencyModel
        proxyNode = scenario.topology.proxyNode
        self.warmConnections = warmConnections
        self.nodePort = nodePort
        rttMs = Dictionary(scenario.topology.nodes.map { ($0.name, $0.rttMs) }, uniquingKeysWith: { a, _ in a })
        baseServiceMs = Dictionary(scenario.instances.map { ($0.name, $0.serviceMs) }, uniquingKeysWith: { a, _ in a })
        serviceMs = baseServiceMs
        nodeOf = Dictionary(scenario.instances.map { ($0.name, $0.node) }, uniquingKeysWith: { a, _ in a })
        jitterRNG = SeededGenerator(seed: seed, label: "emulation/jitter")
        pingRNG = SeededGenerator(seed: seed, label: "emulation/pings")
    }

    /// `r_n + h` of the instance's node (ms).
    public func hopMs(_ instance: String) -> Double {
        (nodeOf[instance].flatMap { rttMs[$0] } ?? 0) + latency.podHopRttMs
    }

    // MARK: Requests

    /// A request reaches `instance` at `now`: the plan of its answer. Updates the queue and the
    /// logical connection; call ``release(_:at:)`` when the answer has been sent.
    public mutating func admit(_ instance: String, at now: Double) -> ResponsePlan {
        let hop = hopMs(instance)
        let x = nodeOf[instance] != proxyNode ? latency.crossNodeOverheadMs : 0
        let jitter = drawJitter()
        var cold = false
        var preMs = hop / 2
        var postMs = hop / 2 + x + jitter
        if nodePort {
            postMs += latency.nodeport.extraMs
        } else {
            var connection = connections[instance] ?? LogicalConnection()
            if latency.newConnection.appliesTo.contains(.proxyToPod) {
                cold = connection.isCold(at: now, idleTimeoutS: latency.newConnection.idleTimeoutS)
            }
            connection.acquire()
            connections[instance] = connection
            if cold { preMs += latency.newConnection.extraRoundTrips * hop }
        }
        let s = serviceMs[instance] ?? 0
        let reach = now + preMs / 1000
        let start = max(reach, serverFreeAt[instance] ?? 0)
        serverFreeAt[instance] = start + s / 1000
        let waitMs = (start - reach) * 1000
        return ResponsePlan(delayMs: max(0, preMs + waitMs + s + postMs), cold: cold, waitMs: waitMs)
    }

    /// The answer of a request admitted to `instance` left at `now`.
    public mutating func release(_ instance: String, at now: Double) {
        guard !nodePort, var connection = connections[instance] else { return }
        connection.release(at: now)
        connections[instance] = connection
    }

    private mutating func drawJitter() -> Double {
        let j = latency.jitter
        guard j.sigmaMs > 0 else { return j.meanMs }
        var z: Double
        repeat { z = jitterRNG.normal() } while abs(z) > j.truncateAtSigmas
        return j.meanMs + j.sigmaMs * z
    }

    // MARK: Pings

    /// A ping of `node` starts at `now`: its duration (ms), `(cold ? round_trips_cold :
    /// round_trips_warm)·r_n + overhead_ms + |N(0, noise_sigma_ms)|`. Call ``pingEnded(_:at:)``
    /// when it has been answered.
    public mutating func pingDurationMs(_ node: String, at now: Double) -> Double {
        let m = latency.ping
        let r = rttMs[node] ?? 0
        let cold = latency.newConnection.appliesTo.contains(.proxyToNodePing)
            && (pingLastEnd[node].map { now - $0 > latency.newConnection.idleTimeoutS } ?? true)
        let noise = m.noiseSigmaMs > 0 ? abs(pingRNG.normal()) * m.noiseSigmaMs : 0
        return (cold ? m.roundTripsCold : m.roundTripsWarm) * r + m.overheadMs + noise
    }

    /// The ping of `node` was answered at `now`.
    public mutating func pingEnded(_ node: String, at now: Double) {
        pingLastEnd[node] = now
    }

    // MARK: Scenario changes

    /// Applies a cluster change at `now` (requests are not model changes and are ignored).
    public mutating func apply(_ action: ClusterAction, at now: Double) {
        switch action {
        case .deploy(let name):
            serviceMs[name] = baseServiceMs[name] ?? 0
        case .show(let name):
            // The proxy opens (warm) or will open (cold) a fresh connection.
            connections[name] = warmConnections && !nodePort ? LogicalConnection(readyAt: now + hopMs(name) / 1000) : LogicalConnection()
        case .stop(let name):
            if connections[name] != nil { connections[name] = LogicalConnection() }
        case .hide(let name):
            connections[name] = nil
        case .addServiceTime(let name, let ms):
            serviceMs[name, default: 0] += ms
        case .addRTT(let node, let ms):
            rttMs[node, default: 0] += ms
        case .request:
            break
        }
    }
}
