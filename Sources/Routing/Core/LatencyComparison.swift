/// How a response time is compared with the SLO threshold τ.
public enum LatencyComparison: String, Sendable, Hashable, Codable, CaseIterable, SchemaEnum {
    /// Success iff `response < τ` (the deliverable's evaluation).
    case lessThan = "less_than"
    /// Success iff `response ≤ τ`.
    case lessThanOrEqual = "less_or_equal"

    /// Whether `responseMs` meets the threshold `tauMs`.
    public func meets(_ responseMs: Double, _ tauMs: Double) -> Bool {
        switch self {
        case .lessThan: return responseMs < tauMs
        case .lessThanOrEqual: return responseMs <= tauMs
        }
    }
}
