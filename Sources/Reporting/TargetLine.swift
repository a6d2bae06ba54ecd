/// A horizontal reference line across a line plot, e.g. the target accuracy.
public struct TargetLine: Sendable, Equatable {
    /// The y value of the line.
    public var value: Double
    /// A label drawn at the line's right end, e.g. `"target 90%"`; `nil` for none.
    public var label: String?

    /// A target line.
    public init(value: Double, label: String? = nil) {
        self.value = value
        self.label = label
    }
}
