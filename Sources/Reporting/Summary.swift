import Foundation

/// Summary statistics of series and samples, as `compare` reports them. Non-finite values (NaN,
/// ±infinity) are ignored throughout; every function returns `nil` when nothing is left.
public enum Summary {
    /// The y value of the last point whose y is finite, e.g. the final accuracy.
    public static func finalValue(of series: Series) -> Double? {
        series.points.last { $0.y.isFinite }?.y
    }

    /// The best point (largest or smallest y, per `direction`); the earliest one on ties.
    public static func best(of series: Series, direction: MetricDirection) -> (x: Double, y: Double)? {
        var best: (x: Double, y: Double)?
        for p in series.points where p.y.isFinite {
            if best.map({ direction.isBetter(p.y, than: $0.y) }) ?? true { best = p }
        }
        return best
    }

    /// The x (round, simulated time or cost, whatever the series is plotted against) of the first
    /// point, in recorded order, whose y reaches `target`: at or above it for `.higherIsBetter`,
    /// at or below for `.lowerIsBetter`. No interpolation: it is a recorded point's x. `nil` if
    /// the target is never reached or not finite.
    public static func firstReaching(_ target: Double, in series: Series, direction: MetricDirection) -> Double? {
        guard target.isFinite else { return nil }
        return series.points.first { $0.x.isFinite && $0.y.isFinite && direction.reaches($0.y, target) }?.x
    }

    /// The arithmetic mean of the finite values.
    public static func mean(_ values: [Double]) -> Double? {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        // Shifting by the first value keeps the sum accurate for values far from zero.
        let shift = finite[0]
        return shift + finite.reduce(0) { $0 + ($1 - shift) } / Double(finite.count)
    }

    /// The `p`-th percentile (`p` in 0...100) of the finite values, by linear interpolation
    /// between closest ranks (Hyndman and Fan's type 7, the default of NumPy, R and Excel's
    /// PERCENTILE.INC): with the n values sorted as x₀ ≤ … ≤ xₙ₋₁ and h = (n − 1)·p/100, the
    /// result is x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋). So p = 0 is the minimum, p = 100 the maximum,
    /// p = 50 the usual median. `nil` if `p` is outside 0...100.
    public static func percentile(_ p: Double, of values: [Double]) -> Double? {
        percentile(p, ofSorted: values.filter(\.isFinite).sorted())
    }

    /// `percentile(_:of:)` for values already finite and sorted ascending.
    static func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty, p >= 0, p <= 100 else { return nil }
        let h = Double(sorted.count - 1) * p / 100
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = h - Double(lower)
        // Written so that equal neighbours give exactly their value.
        return sorted[lower] == sorted[upper] ? sorted[lower] : sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }
}
