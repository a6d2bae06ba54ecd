/// A named sample of observations, e.g. response times in seconds, for CDFs and histograms.
///
/// Non-finite values are ignored by every plot and summary.
public struct Sample: Sendable, Equatable {
    /// The name shown in the legend.
    public var name: String
    /// The observations, in any order.
    public var values: [Double]
    /// How to draw the sample; `nil` takes the next colour and dash pattern of the palette.
    public var style: SeriesStyle?

    /// A sample from its observations.
    public init(name: String, values: [Double], style: SeriesStyle? = nil) {
        self.name = name
        self.values = values
        self.style = style
    }
}
