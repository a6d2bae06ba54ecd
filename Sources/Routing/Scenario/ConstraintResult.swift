import Foundation

/// The outcome of checking one ``ConstraintSpec`` against the latency model.
public struct ConstraintResult: Hashable, Sendable, CustomStringConvertible {
    /// The constraint.
    public var constraint: ConstraintSpec
    /// The computed quantity.
    public var computed: Double
    /// Whether the relation holds.
    public var holds: Bool

    public var description: String {
        let c = constraint
        let expected: String
        if let v = c.valueMs { expected = "≈ \(v) ± \(c.toleranceMs ?? 0)" }
        else if let v = c.value { expected = "= \(v)" }
        else if let v = c.greaterThanMs { expected = "> \(v)" }
        else if let v = c.lessThanMs { expected = "< \(v)" }
        else { expected = "?" }
        return "\(holds ? "ok  " : "FAIL") \(c.quantity) = \(String(format: "%.3f", computed)) (expected \(expected))"
    }
}
