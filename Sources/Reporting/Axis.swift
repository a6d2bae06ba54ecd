/// How values map to positions along an axis.
public enum AxisScale: Sendable, Equatable {
    /// Evenly spaced values.
    case linear
    /// Evenly spaced powers of ten; values at or below zero are not drawn.
    case log
}

/// An axis: its label, unit, scale and, optionally, a fixed range.
public struct Axis: Sendable, Equatable {
    /// What the axis measures, e.g. `"Accuracy"`.
    public var label: String
    /// The unit, shown in parentheses after the label, e.g. `"s"`; `nil` or empty for none.
    public var unit: String?
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// A fixed range; `nil` fits the data with nice round ends. A range that is not finite, empty,
    /// or (on a log axis) not positive is ignored.
    public var range: ClosedRange<Double>?

    /// An axis.
    public init(label: String, unit: String? = nil, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.unit = unit
        self.scale = scale
        self.range = range
    }

    /// The axis title: the label followed by the unit in parentheses, e.g. `"Time (s)"`.
    public var title: String {
        guard let unit, !unit.isEmpty else { return label }
        return label.isEmpty ? "(\(unit))" : "\(label) (\(unit))"
    }

    /// The fixed range if it is usable on this scale.
    var validRange: ClosedRange<Double>? {
        guard let range, range.lowerBound.isFinite, range.upperBound.isFinite,
              range.lowerBound < range.upperBound, scale == .linear || range.lowerBound > 0 else { return nil }
        return range
    }
}
