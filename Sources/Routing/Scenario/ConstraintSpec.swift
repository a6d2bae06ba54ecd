/// One entry of the scenario file's `constraints`: a relation between latency-model parameters
/// forced by the published results. See ``ConstraintCheck`` for the quantity grammar.
public struct ConstraintSpec: Hashable, Sendable, Codable {
    /// The quantity, e.g. `R(s4) + R(s5)` or `count R < tau_ms`.
    public var quantity: String
    /// Expected value (ms), with `toleranceMs`.
    public var valueMs: Double?
    /// Allowed |computed − valueMs| (ms).
    public var toleranceMs: Double?
    /// Exact expected value (counts).
    public var value: Double?
    /// The quantity must be strictly greater than this (ms).
    public var greaterThanMs: Double?
    /// The quantity must be strictly less than this (ms).
    public var lessThanMs: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case quantity, value
        case valueMs = "value_ms", toleranceMs = "tolerance_ms"
        case greaterThanMs = "greater_than_ms", lessThanMs = "less_than_ms"
    }
}
