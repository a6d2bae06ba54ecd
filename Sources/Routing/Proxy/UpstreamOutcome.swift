/// The measurement of one forwarding attempt, reported to ``ProxyRouter/record(_:)``.
///
/// Exactly one outcome is reported per attempt, so a request that was retried on a second
/// instance reports two: the failed first attempt and the second one.
public struct UpstreamOutcome: Sendable, Equatable {
    /// The service the request was routed for.
    public var service: String
    /// The instance the attempt went to.
    public var upstream: UpstreamID
    /// Milliseconds from the start of the attempt (taking a pooled connection or starting to
    /// connect) to the complete response head; for a failed attempt, to the failure.
    public var responseTimeMs: Double
    /// The upstream's HTTP status, or `nil` when no response head arrived.
    public var status: Int?
    /// The transport failure, or `nil` when the response head arrived and the response completed.
    public var error: UpstreamErrorKind?
    /// Request body bytes received from the client for this request.
    public var requestBytes: Int
    /// Response body bytes received from the upstream in this attempt.
    public var responseBytes: Int
    /// 1 for the first attempt, 2 for the retry.
    public var attempt: Int
    /// Whether the attempt used a pooled keep-alive connection (no connect time included).
    public var reusedConnection: Bool

    /// Creates an outcome.
    public init(
        service: String, upstream: UpstreamID, responseTimeMs: Double, status: Int?,
        error: UpstreamErrorKind?, requestBytes: Int = 0, responseBytes: Int = 0,
        attempt: Int = 1, reusedConnection: Bool = false
    ) {
        self.service = service
        self.upstream = upstream
        self.responseTimeMs = responseTimeMs
        self.status = status
        self.error = error
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.attempt = attempt
        self.reusedConnection = reusedConnection
    }

    /// `true` when the attempt failed at the transport level for a reason attributable to the
    /// upstream (see ``UpstreamErrorKind/isUpstreamFault``).
    public var isTransportError: Bool { error?.isUpstreamFault ?? false }

    /// The deliverable's success criterion: no transport error, a response, and faster than
    /// `thresholdMs` (strictly).
    public func isSuccess(thresholdMs: Double) -> Bool {
        error == nil && status != nil && responseTimeMs < thresholdMs
    }
}
