/// The outcome of one forwarded request, reported to the policy that chose the instance.
public struct RequestMeasurement: Hashable, Sendable {
    /// The instance that served (or failed) the request.
    public var instance: Instance
    /// When the request was dispatched (the `now` of the matching `choose` call), in seconds.
    public var startedAt: Double
    /// When the response (or the transport error) arrived, in seconds.
    public var time: Double
    /// End-to-end response time seen by the client, in milliseconds.
    public var responseMs: Double
    /// What the proxy itself measured (time to response headers from forwarding), in
    /// milliseconds; equals `responseMs` unless the host knows better.
    public var upstreamMs: Double
    /// `false` for a transport error (connection refused or reset, timeout); slow responses and
    /// 5xx answers are transport successes.
    public var transportSuccess: Bool
    /// Whether the request met the service's SLO (transport success and fast enough).
    public var sloSuccess: Bool

    /// Creates a measurement.
    public init(instance: Instance, startedAt: Double, time: Double, responseMs: Double,
                upstreamMs: Double? = nil, transportSuccess: Bool, sloSuccess: Bool) {
        self.instance = instance
        self.startedAt = startedAt
        self.time = time
        self.responseMs = responseMs
        self.upstreamMs = upstreamMs ?? responseMs
        self.transportSuccess = transportSuccess
        self.sloSuccess = sloSuccess
    }
}
