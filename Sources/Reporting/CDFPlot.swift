/// Empirical cumulative distribution functions of several samples, e.g. response times per
/// balancer: for each x, the fraction of the sample at or below x.
public struct CDFPlot: Plot {
    /// The title above the plot; empty for none.
    public var title: String
    /// The samples, one step curve each.
    public var samples: [Sample]
    /// The axis of the observed values (linear or log; on a log axis values at or below zero
    /// still count towards the fractions but are left of the axis).
    public var xAxis: Axis
    /// The title of the fraction axis.
    public var yLabel: String
    /// Size, legend placement and gridlines.
    public var options: PlotOptions

    /// A CDF plot.
    public init(title: String = "", samples: [Sample], xAxis: Axis, yLabel: String = "Cumulative fraction",
                options: PlotOptions = PlotOptions()) {
        self.title = title
        self.samples = samples
        self.xAxis = xAxis
        self.yLabel = yLabel
        self.options = options
    }

    /// The plot as SVG: one step `path` per sample, from the left edge to the right edge of the plot.
    public func svg() -> String {
        let sorted = samples.map { $0.values.filter(\.isFinite).sorted() }
        var xExtent = Extent()
        for values in sorted { for v in values { xExtent.include(v, on: xAxis.scale) } }
        var yExtent = Extent()
        yExtent.include(0)
        yExtent.include(1)
        let styles = samples.indices.map { Palette.resolve(samples[$0].style, index: $0) }
        let frame = PlotFrame(title: title, options: options, x: .numeric(xAxis, xExtent),
                              y: (Axis(label: yLabel, range: 0...1), yExtent),
                              legend: zip(samples, styles).map { LegendEntry(name: $0.name, style: $1, swatch: .line) },
                              clipMargin: 4)
        return frame.render { canvas, svg in
            for (i, values) in sorted.enumerated() {
                PolylineDrawing.draw(Self.steps(values, canvas: canvas), name: samples[i].name,
                                     style: styles[i], into: &svg)
            }
        }
    }

    /// The pixel vertices of the step function of `values` (sorted, finite): flat at the fraction
    /// so far, rising at each distinct value; values the axis cannot show only raise the start.
    /// Vertices closer than a quarter pixel are merged, so a path has at most a few per pixel.
    static func steps(_ values: [Double], canvas: PlotCanvas) -> [(Double, Double)?] {
        guard !values.isEmpty, let bottom = canvas.py(0), let top = canvas.py(1) else { return [] }
        let n = Double(values.count)
        func level(_ count: Int) -> Double { bottom + (top - bottom) * Double(count) / n }
        let hidden = values.prefix { !canvas.x.accepts($0) }.count
        var vertices: [(Double, Double)?] = [(canvas.area.x, level(hidden))]
        var i = hidden
        while i < values.count {
            var j = i
            while j < values.count && values[j] == values[i] { j += 1 }
            if let px = canvas.px(values[i]) {
                // Steps less than a quarter pixel apart merge into one, so large samples stay small.
                if vertices.count > 1, let (lastX, _) = vertices[vertices.count - 1], abs(px - lastX) < 0.25 {
                    vertices[vertices.count - 1] = (lastX, level(j))
                } else {
                    vertices.append((px, level(i)))
                    vertices.append((px, level(j)))
                }
            }
            i = j
        }
        vertices.append((canvas.area.maxX, level(values.count)))
        return vertices
    }
}
