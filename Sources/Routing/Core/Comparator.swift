/// A comparison operator of a requirement clause (`attribute comparator threshold`).
public enum Comparator: String, Sendable, Hashable, Codable, CaseIterable, SchemaEnum {
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case equal = "=="

    /// Whether `value comparator threshold` holds.
    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .lessThan: return value < threshold
        case .lessThanOrEqual: return value <= threshold
        case .greaterThan: return value > threshold
        case .greaterThanOrEqual: return value >= threshold
        case .equal: return value == threshold
        }
    }
}
