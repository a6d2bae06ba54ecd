/// One series of a grouped bar plot: a value per category, e.g. requests per instance for one balancer.
///
/// `values[i]` belongs to the plot's `categories[i]`; a non-finite value, or a category beyond the
/// end of `values`, is a missing bar.
public struct BarSeries: Sendable, Equatable {
    /// The name shown in the legend.
    public var name: String
    /// One value per category, in the order of the plot's categories.
    public var values: [Double]
    /// How to draw the bars; `nil` takes the next colour of the palette.
    public var style: SeriesStyle?

    /// A bar series from its values.
    public init(name: String, values: [Double], style: SeriesStyle? = nil) {
        self.name = name
        self.values = values
        self.style = style
    }
}
