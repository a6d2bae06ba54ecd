/// A service's QoS requirement: the SLO `(τ, ρ, W)` plus optional routing-share clauses (spec §1).
///
/// In every window `W`, at least a fraction `ρ` of the requests must complete faster than `τ`
/// (strictly, by default) without a transport error. A single request is a *success* iff
/// ``isSuccess(responseMs:transportSuccess:)``.
public struct QoSRequirement: Hashable, Sendable, Codable {
    /// Latency threshold τ in milliseconds.
    public var tauMs: Double
    /// Required fraction ρ of successful requests per window, in (0, 1].
    public var rho: Double
    /// Evaluation window W in seconds.
    public var windowS: Double
    /// Comparison of a response with τ (strict `<` by default).
    public var comparison: LatencyComparison
    /// Routing-share clauses, applied by the load balancer to the pool weights.
    public var shareClauses: [ShareClause]

    /// Creates a requirement; the defaults are the deliverable's τ = 80 ms with the project's
    /// ρ = 0.99 and W = 60 s.
    public init(tauMs: Double = 80, rho: Double = 0.99, windowS: Double = 60,
                comparison: LatencyComparison = .lessThan, shareClauses: [ShareClause] = []) {
        self.tauMs = tauMs
        self.rho = rho
        self.windowS = windowS
        self.comparison = comparison
        self.shareClauses = shareClauses
    }

    /// Whether a request with this outcome is an SLO success.
    public func isSuccess(responseMs: Double, transportSuccess: Bool) -> Bool {
        transportSuccess && comparison.meets(responseMs, tauMs)
    }
}
