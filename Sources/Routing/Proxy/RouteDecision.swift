/// What a ``ProxyRouter`` answers for one request.
public enum RouteDecision: Sendable, Equatable {
    /// Forward the request to this instance.
    case upstream(Upstream)
    /// The service name is not known at all: the proxy answers `404 Not Found`.
    case unknownService
    /// The service is known but no instance can take the request now: the proxy answers
    /// `503 Service Unavailable` with `Retry-After: retryAfterSeconds`.
    case noInstance(retryAfterSeconds: Int)
}
