/// The scenario's `slo` section: the service and its latency SLO.
public struct SLOSpec: Hashable, Sendable, Codable {
    /// The service name (e.g. `dps`).
    public var service: String
    /// τ in milliseconds.
    public var tauMs: Double
    /// How a response is compared with τ.
    public var comparison: LatencyComparison
    /// Whether transport errors and 5xx answers count as failures (must be `true` in this model).
    public var errorsCountAsFailure: Bool
    /// Scope of the published success fraction (`whole_run`).
    public var scopeOfPublishedFraction: String
    /// ρ for SLO-fraction balancers.
    public var rho: Double
    /// Evaluation window W (s).
    public var windowS: Double
    /// Routing-share clauses (aiotwin extension; optional).
    public var shareClauses: [ShareClause]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case service, comparison, rho
        case tauMs = "tau_ms", errorsCountAsFailure = "errors_count_as_failure"
        case scopeOfPublishedFraction = "scope_of_published_fraction", windowS = "window_s"
        case shareClauses = "share_clauses"
    }

    /// The requirement this SLO defines.
    public var requirement: QoSRequirement {
        QoSRequirement(tauMs: tauMs, rho: rho, windowS: windowS, comparison: comparison, shareClauses: shareClauses ?? [])
    }
}
