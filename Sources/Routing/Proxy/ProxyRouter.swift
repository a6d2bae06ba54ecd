/// The proxy's only seam to the routing logic: which instance gets a request, and what happened
/// when it was forwarded.
///
/// ## Threading contract
/// Every method is called **synchronously on the event loop of the client connection**, once or
/// twice per request, concurrently from all of the proxy's event loops. Implementations must
/// therefore be thread-safe and fast (a few microseconds, no I/O, no blocking, no waiting on
/// other threads): a slow router stalls every connection on that event loop. Use a lock around
/// small state, or atomically swapped immutable snapshots; defer heavy work (pool rebuilding,
/// probing) to your own tasks.
public protocol ProxyRouter: Sendable {
    /// Chooses an instance of `service` for one request.
    ///
    /// - Parameters:
    ///   - service: The service name taken from `X-Service` or the `Host` label.
    ///   - excluding: Instances that must not be chosen: empty on the first attempt, the failed
    ///     instance on the (single) retry. Answer ``RouteDecision/noInstance(retryAfterSeconds:)``
    ///     when nothing else is left.
    func route(service: String, excluding: [UpstreamID]) -> RouteDecision

    /// Receives the measurement of one forwarding attempt (see ``UpstreamOutcome``). Called once
    /// per attempt, after the response ended or the attempt failed.
    func record(_ outcome: UpstreamOutcome)

    /// The services this router can route, for metrics and diagnostics.
    var knownServices: [String] { get }

    /// The service's latency threshold τ in milliseconds, if known. The proxy adds it as a bucket
    /// edge of that service's latency histogram (read once per service and event loop).
    /// Default: `nil`.
    func latencyThresholdMs(service: String) -> Double?

    /// The total request timeout for the service in seconds, overriding
    /// ``ProxyConfiguration/totalTimeout``. Default: `nil`.
    func totalTimeoutSeconds(service: String) -> Double?

    /// Current QoS pool size per service, exported as `aiotwin_routing_pool_size`. Called only when
    /// `/metrics` is scraped. Default: empty.
    func poolSizes() -> [String: Int]
}

extension ProxyRouter {
    public func latencyThresholdMs(service: String) -> Double? { nil }
    public func totalTimeoutSeconds(service: String) -> Double? { nil }
    public func poolSizes() -> [String: Int] { [:] }
}
