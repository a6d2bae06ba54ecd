/// The smallest interval holding every value included so far.
struct Extent: Equatable {
    private(set) var lower = Double.infinity
    private(set) var upper = -Double.infinity

    /// Whether no value has been included.
    var isEmpty: Bool { lower > upper }

    /// Widens the interval to hold `value`; non-finite values are ignored.
    mutating func include(_ value: Double) {
        guard value.isFinite else { return }
        lower = min(lower, value)
        upper = max(upper, value)
    }

    /// Widens the interval to hold every finite value of `values`.
    mutating func include<S: Sequence>(contentsOf values: S) where S.Element == Double {
        for value in values { include(value) }
    }
}

extension Extent {
    /// Includes `value` if an axis of scale `scale` can show it (positive on a log axis).
    mutating func include(_ value: Double, on scale: AxisScale) {
        if scale == .linear || value > 0 { include(value) }
    }
}
