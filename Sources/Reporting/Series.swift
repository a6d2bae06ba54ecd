/// A named sequence of (x, y) points drawn as one line, e.g. accuracy against round.
///
/// Points are kept in the order given (the recorded order); points with a non-finite coordinate
/// are skipped when drawing and leave a gap in the line.
public struct Series: Sendable {
    /// The name shown in the legend.
    public var name: String
    /// The points in recorded order.
    public var points: [(x: Double, y: Double)]
    /// How to draw the series; `nil` takes the next colour and dash pattern of the palette.
    public var style: SeriesStyle?

    /// A series from its points.
    public init(name: String, points: [(x: Double, y: Double)], style: SeriesStyle? = nil) {
        self.name = name
        self.points = points
        self.style = style
    }

    /// A series from parallel x and y arrays; extra values of the longer array are ignored.
    public init(name: String, x: [Double], y: [Double], style: SeriesStyle? = nil) {
        self.init(name: name, points: zip(x, y).map { (x: $0, y: $1) }, style: style)
    }
}
