/// How one series is drawn. Every property left `nil` is taken from the palette, by the series' index.
public struct SeriesStyle: Sendable, Equatable {
    /// A CSS colour such as `"#0072B2"`; `nil` takes the palette's colour.
    public var color: String?
    /// The dash pattern of lines and outlines; `nil` takes the palette's pattern.
    public var dash: DashPattern?
    /// The line width in pixels; `nil` is 2.
    public var lineWidth: Double?
    /// Whether to mark every point of a line with a dot; `nil` marks only isolated points, which
    /// would otherwise be invisible.
    public var showsMarkers: Bool?

    /// A style; every argument left `nil` is taken from the palette.
    public init(color: String? = nil, dash: DashPattern? = nil, lineWidth: Double? = nil, showsMarkers: Bool? = nil) {
        self.color = color
        self.dash = dash
        self.lineWidth = lineWidth
        self.showsMarkers = showsMarkers
    }
}
