/// Where a plot's legend goes. Legends are placed outside the data area, so they never hide data.
public enum LegendPlacement: Sendable, Equatable {
    /// To the right when the names are short enough, otherwise below.
    case automatic
    /// To the right of the plot area.
    case right
    /// Below the x-axis title.
    case below
    /// No legend.
    case hidden
}

/// Size and layout options shared by every plot.
public struct PlotOptions: Sendable, Equatable {
    /// The width in pixels (at least 120 is used).
    public var width: Double
    /// The height in pixels (at least 90 is used).
    public var height: Double
    /// The size of labels in pixels (6 to 40 is used); tick labels are one pixel smaller, the
    /// title three larger.
    public var fontSize: Double
    /// Where the legend goes.
    public var legend: LegendPlacement
    /// Whether to draw gridlines at the ticks.
    public var showsGrid: Bool

    /// Options; the defaults suit a page or a slide (720×450, 13 px text).
    public init(width: Double = 720, height: Double = 450, fontSize: Double = 13,
                legend: LegendPlacement = .automatic, showsGrid: Bool = true) {
        self.width = width
        self.height = height
        self.fontSize = fontSize
        self.legend = legend
        self.showsGrid = showsGrid
    }

    /// The width, height and font size actually used: finite and within their limits.
    var effective: (width: Double, height: Double, fontSize: Double) {
        (max(width.isFinite ? width : 720, 120), max(height.isFinite ? height : 450, 90),
         fontSize.isFinite ? min(max(fontSize, 6), 40) : 13)
    }
}
