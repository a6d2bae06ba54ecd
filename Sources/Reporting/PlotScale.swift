import Foundation

/// One axis as drawn: its domain, ticks and the map from values to positions (0 at the start of
/// the axis, 1 at its end).
struct PlotScale {
    var kind: AxisScale
    var lower: Double
    var upper: Double
    var ticks: Ticks
    /// Whether ticks are category names at band centres rather than numbers.
    var isCategorical = false

    /// A numeric axis: the axis's own range if valid, otherwise `extent` (of the values that the
    /// axis can show) widened to nice ticks, with about `target` intervals.
    static func numeric(_ axis: Axis, extent: Extent, target: Int) -> PlotScale {
        if let range = axis.validRange {
            return PlotScale(kind: axis.scale, lower: range.lowerBound, upper: range.upperBound,
                             ticks: ticks(axis.scale, range.lowerBound, range.upperBound, target, covering: false))
        }
        var (lo, hi) = extent.isEmpty ? (axis.scale == .log ? (1.0, 10.0) : (0.0, 1.0)) : (extent.lower, extent.upper)
        if lo == hi {
            switch axis.scale {
            case .log: (lo, hi) = (lo / 2, hi * 2)
            case .linear: let pad = lo == 0 ? 1 : abs(lo) / 10; (lo, hi) = (lo - pad, hi + pad)
            }
        }
        guard (hi - lo).isFinite, lo < hi else {
            return PlotScale(kind: axis.scale, lower: lo, upper: hi, ticks: Ticks(values: [lo, hi], labels: ["\(lo)", "\(hi)"]))
        }
        let t = ticks(axis.scale, lo, hi, target, covering: true)
        return PlotScale(kind: axis.scale, lower: min(lo, t.values.first ?? lo), upper: max(hi, t.values.last ?? hi), ticks: t)
    }

    /// A categorical axis: one band per label, ticks at band centres.
    static func categorical(_ labels: [String]) -> PlotScale {
        PlotScale(kind: .linear, lower: 0, upper: Double(max(1, labels.count)),
                  ticks: Ticks(values: labels.indices.map { Double($0) + 0.5 }, labels: labels), isCategorical: true)
    }

    /// Whether `value` can be placed on this axis (finite, and positive on a log axis).
    func accepts(_ value: Double) -> Bool { value.isFinite && (kind == .linear || value > 0) }

    /// The position of `value` along the axis (0 at `lower`, 1 at `upper`), or `nil` if it cannot be placed.
    func fraction(_ value: Double) -> Double? {
        guard accepts(value), upper > lower else { return nil }
        switch kind {
        // Halved first, so that even a range from -1e308 to 1e308 does not overflow.
        case .linear: return (value / 2 - lower / 2) / (upper / 2 - lower / 2)
        case .log: return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    private static func ticks(_ kind: AxisScale, _ lo: Double, _ hi: Double, _ target: Int, covering: Bool) -> Ticks {
        kind == .log ? NiceTicks.log(lo, hi, target: target, covering: covering)
                     : NiceTicks.linear(lo, hi, target: target, covering: covering)
    }
}
