/// Grouped bars: one group per category, one bar per series within each group, e.g. requests per
/// instance (categories) for each balancer (series).
public struct BarPlot: Plot {
    /// The title above the plot; empty for none.
    public var title: String
    /// The category names along the x-axis, in order.
    public var categories: [String]
    /// The series; `series[s].values[c]` is the bar of series `s` in category `c`.
    public var series: [BarSeries]
    /// The title of the category axis; empty for none.
    public var xLabel: String
    /// The value axis. On a linear axis bars rise from zero (down for negative values); on a log
    /// axis from the bottom of the axis, and values at or below zero are not drawn.
    public var yAxis: Axis
    /// Size, legend placement and gridlines (horizontal only).
    public var options: PlotOptions

    /// A grouped bar plot.
    public init(title: String = "", categories: [String], series: [BarSeries], xLabel: String = "",
                yAxis: Axis, options: PlotOptions = PlotOptions()) {
        self.title = title
        self.categories = categories
        self.series = series
        self.xLabel = xLabel
        self.yAxis = yAxis
        self.options = options
    }

    /// The plot as SVG: one `path` per series holding its bars.
    public func svg() -> String {
        var yExtent = Extent()
        if yAxis.scale == .linear { yExtent.include(0) }
        for s in series { for v in s.values.prefix(categories.count) { yExtent.include(v, on: yAxis.scale) } }
        let styles = series.indices.map { Palette.resolve(series[$0].style, index: $0) }
        let frame = PlotFrame(title: title, options: options, x: .categorical(title: xLabel, labels: categories),
                              y: (yAxis, yExtent),
                              legend: zip(series, styles).map { LegendEntry(name: $0.name, style: $1, swatch: .box) })
        return frame.render { canvas, svg in
            let base = yAxis.scale == .linear ? 0 : canvas.y.lower
            let band = canvas.area.width / Double(max(1, categories.count))
            let slot = band * 0.8 / Double(max(1, series.count))
            for (s, bars) in series.enumerated() {
                var rects: [Rect] = []
                for (c, value) in bars.values.prefix(categories.count).enumerated() {
                    guard let y1 = canvas.py(value), let y0 = canvas.py(base) else { continue }
                    let x = canvas.area.x + band * (Double(c) + 0.1) + slot * (Double(s) + 0.05)
                    rects.append(Rect(x: x, y: min(y0, y1), width: slot * 0.9, height: abs(y0 - y1)))
                }
                BarDrawing.draw(rects, name: bars.name, style: styles[s], outline: false, into: &svg)
            }
        }
    }
}
