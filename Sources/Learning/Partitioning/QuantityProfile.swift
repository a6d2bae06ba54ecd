/// How client sizes are set in the quantity-skew partition (``PartitionScheme/quantitySkew(_:)``),
/// for client ids `i = 1...M`. The label mix stays IID.
public enum QuantityProfile: Sendable, Equatable {
    /// Sizes proportional to `i` (Flower `LinearPartitioner`).
    case linear
    /// Sizes proportional to `i²` (Flower `SquarePartitioner`).
    case square
    /// Sizes proportional to `eⁱ` (Flower `ExponentialPartitioner`).
    case exponential
    /// Explicit sizes, one per client (Flower `SizePartitioner`); their sum may not exceed the
    /// number of examples.
    case sizes([Int])
    /// Size fractions `q ~ Dir(β·1_M)` (NIID-Bench's quantity skew), redrawn, as NIID-Bench does,
    /// while a client would get fewer than `min(10, ⌊N/M⌋)` examples (at most 1,000 redraws, then
    /// an error).
    case dirichlet(beta: Double)
}
