/// How an emulated endpoint answers one complete request: `200 OK` with `headers` after
/// `delayMs` wall-clock milliseconds, then `onSent`.
struct EndpointAnswer: Sendable {
    /// Milliseconds from the end of the request to the response.
    var delayMs: Double
    /// Extra response headers.
    var headers: [(String, String)]
    /// Called on the connection's event loop once the response has been written.
    var onSent: @Sendable () -> Void
}

/// What an emulated endpoint does with a complete request: its answer, or `nil` to drop the
/// connection without one.
typealias EndpointBehaviour = @Sendable (_ uri: String, _ headers: [(String, String)]) -> EndpointAnswer?
