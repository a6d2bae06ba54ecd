/// Why a forwarding attempt failed at the transport level (as opposed to an HTTP error status,
/// which is a successful transport and is reported in ``UpstreamOutcome/status``).
public enum UpstreamErrorKind: String, Sendable, Hashable, CaseIterable {
    /// The TCP connection was refused (nothing listens on the port).
    case connectRefused = "connect_refused"
    /// The TCP connection did not complete within the connect timeout.
    case connectTimeout = "connect_timeout"
    /// Connecting failed for another reason (unreachable, name resolution, ...).
    case connectFailed = "connect_error"
    /// The connection was reset or closed before a complete response head arrived.
    case reset = "reset"
    /// The connection was reset or closed after the response head, before the response ended.
    case resetMidResponse = "reset_mid_response"
    /// The upstream sent bytes that are not a valid HTTP/1.1 response.
    case invalidResponse = "invalid_response"
    /// The total request timeout expired before the response ended.
    case timeout = "timeout"
    /// The client went away (or sent an invalid or oversized request) while the request was being
    /// forwarded. This is not the upstream's fault: routers should not penalise the instance.
    case clientAborted = "client_abort"

    /// Whether the failure is attributable to the upstream (or the network to it), i.e. every kind
    /// except ``clientAborted``.
    public var isUpstreamFault: Bool { self != .clientAborted }
}
