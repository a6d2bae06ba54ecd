/// The outcome of one acceptance check.
public struct AcceptanceResult: Hashable, Sendable, CustomStringConvertible {
    /// What was checked, e.g. `static qedgeproxy mean |Δ| ≤ 1.0`.
    public var check: String
    /// Whether it passed.
    public var passed: Bool
    /// The numbers.
    public var detail: String
    public var description: String { "\(passed ? "PASS" : "FAIL") \(check): \(detail)" }
}
