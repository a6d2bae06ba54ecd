/// What the load generator saw for one request, and how it becomes a ``RequestRecord`` with the
/// simulator's meaning of each field.
public struct LoadOutcome: Hashable, Sendable {
    /// Request number (from 0).
    public var index: Int
    /// When it was sent (scenario seconds).
    public var sentAt: Double
    /// Index of its phase.
    public var phase: Int
    /// The status the proxy answered, `nil` when no response arrived (the connection to the
    /// proxy failed or timed out).
    public var status: Int?
    /// Wall-clock milliseconds from writing the request to the end of the response (or to the
    /// failure).
    public var elapsedMs: Double?
    /// The instance that answered (`X-Instance`).
    public var instance: String?
    /// The last instance that received the request (from the cluster's ledger), which names the
    /// instance of a request that failed in transit.
    public var receiver: String?
    /// Whether the answering instance charged a connection handshake.
    public var cold: Bool

    /// Creates an outcome.
    public init(index: Int, sentAt: Double, phase: Int, status: Int?, elapsedMs: Double?,
                instance: String?, receiver: String?, cold: Bool) {
        self.index = index
        self.sentAt = sentAt
        self.phase = phase
        self.status = status
        self.elapsedMs = elapsedMs
        self.instance = instance
        self.receiver = receiver
        self.cold = cold
    }

    /// The record, as the simulator would write it:
    /// - `2xx`: answered by `instance`; success iff faster than τ (``QoSRequirement/isSuccess(responseMs:transportSuccess:)``);
    /// - `503`/`404` from the proxy (no instance qualified): unrouted, no instance and no response time;
    /// - `502`/`504` (the proxy's transport error or timeout) or no response at all: a transport
    ///   error of the instance that received it, if any, never a success;
    /// - any other status: answered but not a success (errors count as failures).
    public func record(requirement: QoSRequirement) -> RequestRecord {
        var r = RequestRecord(index: index, proxy: 0, time: sentAt, phase: phase, instance: nil, responseMs: nil,
                              success: false, transportError: false, coldConnection: cold)
        switch status {
        case .some(let s) where (200..<300).contains(s):
            r.instance = instance ?? receiver
            r.responseMs = elapsedMs
            r.success = elapsedMs.map { requirement.isSuccess(responseMs: $0, transportSuccess: true) } ?? false
        case .some(503), .some(404):
            break
        case .some(502), .some(504), .none:
            r.instance = instance ?? receiver
            r.responseMs = elapsedMs
            r.transportError = true
        case .some:
            r.instance = instance ?? receiver
            r.responseMs = elapsedMs
        }
        return r
    }
}
