/// The proxy → instance connection as the latency model sees it (the ``Simulator``'s rule, one
/// per instance): a request is *cold*, i.e. pays `extra_round_trips` round trips of handshake,
/// on the connection's first use or after it was idle (nothing in flight) for more than
/// `idle_timeout_s`; with warm connections it is cold only before `readyAt`.
///
/// The emulation applies this rule instead of charging handshakes per real TCP connection:
/// loopback handshakes cost nothing, and the proxy opens extra pooled connections whenever
/// requests overlap, which happens K times more often under a speedup K than in the scenario.
public struct LogicalConnection: Hashable, Sendable {
    /// Whether a request has used the connection.
    public var used = false
    /// Requests in flight on it.
    public var inFlight = 0
    /// When its last request ended (scenario seconds).
    public var lastRelease = 0.0
    /// With warm connections, when the pre-opened connection is ready (scenario seconds).
    public var readyAt: Double?

    /// A fresh connection; `readyAt` for a pre-opened (warm) one.
    public init(readyAt: Double? = nil) { self.readyAt = readyAt }

    /// Whether a request at `now` pays the handshake (`idleTimeoutS` in seconds).
    public func isCold(at now: Double, idleTimeoutS: Double) -> Bool {
        if let readyAt { return now < readyAt }
        return !used || (inFlight == 0 && now - lastRelease > idleTimeoutS)
    }

    /// A request starts on the connection.
    public mutating func acquire() {
        used = true
        inFlight += 1
    }

    /// A request on the connection ended at `now`.
    public mutating func release(at now: Double) {
        inFlight = max(0, inFlight - 1)
        lastRelease = now
    }
}
