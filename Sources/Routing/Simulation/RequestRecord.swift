/// What happened to one simulated request.
public struct RequestRecord: Hashable, Sendable {
    /// Request number (from 0).
    public var index: Int
    /// The proxy that handled it (0 with one proxy).
    public var proxy: Int
    /// Arrival time (s).
    public var time: Double
    /// Index of the phase (in the scenario's phase list).
    public var phase: Int
    /// The chosen instance, `nil` when the policy found none (503/404).
    public var instance: String?
    /// Response time seen by the client (ms), `nil` when no instance was chosen.
    public var responseMs: Double?
    /// SLO success: answered without transport error and faster than τ.
    public var success: Bool
    /// Whether the request ended in a transport error (connection refused).
    public var transportError: Bool
    /// Whether it paid a connection handshake.
    public var coldConnection: Bool
}
