/// Several series against a shared x-axis, e.g. accuracy against round, simulated time or
/// cumulative cost, with an optional horizontal target line.
public struct LinePlot: Plot {
    /// The title above the plot; empty for none.
    public var title: String
    /// The series, drawn in order (later ones on top).
    public var series: [Series]
    /// The horizontal axis.
    public var xAxis: Axis
    /// The vertical axis.
    public var yAxis: Axis
    /// An optional horizontal reference line, e.g. the target accuracy.
    public var target: TargetLine?
    /// Size, legend placement and gridlines.
    public var options: PlotOptions

    /// A line plot.
    public init(title: String = "", series: [Series], xAxis: Axis, yAxis: Axis,
                target: TargetLine? = nil, options: PlotOptions = PlotOptions()) {
        self.title = title
        self.series = series
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.target = target
        self.options = options
    }

    /// The plot as SVG: one `path` per series (with gaps at skipped points), dots on isolated points.
    public func svg() -> String {
        var xExtent = Extent(), yExtent = Extent()
        for s in series {
            for p in s.points where p.x.isFinite && p.y.isFinite {
                guard xAxis.scale == .linear || p.x > 0, yAxis.scale == .linear || p.y > 0 else { continue }
                xExtent.include(p.x)
                yExtent.include(p.y)
            }
        }
        if let target { yExtent.include(target.value, on: yAxis.scale) }
        let styles = series.indices.map { Palette.resolve(series[$0].style, index: $0) }
        let frame = PlotFrame(title: title, options: options, x: .numeric(xAxis, xExtent), y: (yAxis, yExtent),
                              legend: zip(series, styles).map { LegendEntry(name: $0.name, style: $1, swatch: .line) },
                              clipMargin: 4)
        return frame.render { canvas, svg in
            let lines = series.map { s in
                s.points.map { p in canvas.px(p.x).flatMap { px in canvas.py(p.y).map { (px, $0) } } }
            }
            if let target { drawTargetLine(target, canvas: canvas, into: &svg) }
            for (i, positions) in lines.enumerated() {
                PolylineDrawing.draw(positions, name: series[i].name, style: styles[i], into: &svg)
            }
            if let target { drawTargetLabel(target, canvas: canvas, avoiding: lines, into: &svg) }
        }
    }

    private func drawTargetLine(_ target: TargetLine, canvas: PlotCanvas, into svg: inout SVGWriter) {
        guard let py = canvas.py(target.value) else { return }
        let area = canvas.area
        svg.element("line", [("class", "target"), ("x1", num(area.x)), ("y1", num(py)), ("x2", num(area.maxX)), ("y2", num(py)),
                             ("stroke", "#555"), ("stroke-width", "1.2"), ("stroke-dasharray", "5 4")])
    }

    /// The label goes at the right or left end of the line, above or below it: wherever it
    /// covers the fewest stretches of the series' lines.
    private func drawTargetLabel(_ target: TargetLine, canvas: PlotCanvas, avoiding lines: [[(Double, Double)?]],
                                 into svg: inout SVGWriter) {
        guard let label = target.label, !label.isEmpty, let py = canvas.py(target.value) else { return }
        let size = canvas.fontSize - 1, area = canvas.area
        let width = TextMetrics.width(label, fontSize: size), height = size * 1.1
        var candidates: [Rect] = []
        for above in [true, false] {
            let top = above ? py - 4 - height : py + 4
            guard top >= area.y, top + height <= area.maxY else { continue }
            candidates += [Rect(x: area.maxX - 6 - width, y: top, width: width, height: height),
                           Rect(x: area.x + 6, y: top, width: width, height: height)]
        }
        let box = candidates.min { Self.crossings(of: $0, by: lines) < Self.crossings(of: $1, by: lines) }
            ?? Rect(x: area.maxX - 6 - width, y: py - 4 - height, width: width, height: height)
        svg.element("text", [("class", "target-label"), ("x", num(box.x)), ("y", num(box.y + size * 0.85)),
                             ("font-size", num(size)), ("fill", "#333"), ("stroke", "#ffffff"), ("stroke-width", "3"),
                             ("stroke-linejoin", "round"), ("paint-order", "stroke")], text: label)
    }

    /// How many points, sampled every few pixels along the lines, fall inside `box`.
    private static func crossings(of box: Rect, by lines: [[(Double, Double)?]]) -> Int {
        var count = 0
        for line in lines {
            for (a, b) in zip(line, line.dropFirst()) {
                guard let (x0, y0) = a, let (x1, y1) = b else { continue }
                let steps = Int(min(200, max(abs(x1 - x0), abs(y1 - y0)) / 3)) + 1
                for k in 0...steps {
                    let t = Double(k) / Double(steps)
                    let x = x0 + t * (x1 - x0), y = y0 + t * (y1 - y0)
                    if x >= box.x - 2, x <= box.maxX + 2, y >= box.y - 2, y <= box.maxY + 2 { count += 1 }
                }
            }
        }
        return count
    }
}
