/// How an emulated instance answers one request: after `delayMs` wall-clock milliseconds from
/// its arrival at the instance's socket.
public struct ResponsePlan: Hashable, Sendable {
    /// Milliseconds from receipt to the response: network, handshake, queueing, service,
    /// cross-node overhead and jitter of the scenario's latency model.
    public var delayMs: Double
    /// Whether the request paid a connection handshake.
    public var cold: Bool
    /// Milliseconds spent waiting in the instance's FIFO queue (scenario time).
    public var waitMs: Double
}
