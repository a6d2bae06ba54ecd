import Foundation

/// A rectangle in pixels, y growing downwards.
struct Rect {
    var x, y, width, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
}

/// The plot area and its two axes, handed to a plot to draw its data.
struct PlotCanvas {
    let area: Rect
    let x: PlotScale
    let y: PlotScale
    /// The size of labels.
    let fontSize: Double

    /// The horizontal pixel position of `value`, or `nil` if the x-axis cannot show it.
    func px(_ value: Double) -> Double? { x.fraction(value).map { area.x + $0 * area.width } }
    /// The vertical pixel position of `value`, or `nil` if the y-axis cannot show it.
    func py(_ value: Double) -> Double? { y.fraction(value).map { area.maxY - $0 * area.height } }
}

/// What the x-axis shows: numbers (with the extent of the data) or category names.
enum XAxisSpec {
    case numeric(Axis, Extent)
    case categorical(title: String, labels: [String])
}

/// Everything around the data, shared by all plots: title, axes with nice ticks, gridlines, axis
/// titles and legend, laid out so that labels do not overlap each other or the data.
struct PlotFrame {
    var title: String
    var options: PlotOptions
    var x: XAxisSpec
    var y: (axis: Axis, extent: Extent)
    var legend: [LegendEntry]
    /// How far beyond the plot area data may be drawn: room for half a line width at the edges;
    /// zero for bars, which are cut at the axes.
    var clipMargin = 0.0

    private static let pad = 12.0, tickLength = 5.0, gridColor = "#e3e3e3", axisColor = "#444"

    /// The SVG document: the frame around what `content` draws inside the plot area (clipped to it).
    func render(content: (PlotCanvas, inout SVGWriter) -> Void) -> String {
        let layout = Layout(self)
        let font = layout.fontSize, tickFont = font - 1, area = layout.area
        let canvas = PlotCanvas(area: area, x: layout.x, y: layout.y, fontSize: font)
        var svg = SVGWriter()
        if !title.isEmpty { svg.element("title", [], text: title) }
        svg.element("rect", [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])
        if !title.isEmpty {
            // Centred over the plot area, moved or shortened to stay on the canvas.
            let shown = TextMetrics.truncate(title, toWidth: (layout.width - 2 * Self.pad) / 1.05, fontSize: font + 3)
            let w = TextMetrics.width(shown, fontSize: font + 3) * 1.05 / 2
            let cx = min(max(area.midX, Self.pad + w), layout.width - Self.pad - w)
            svg.text(shown, x: cx, y: Self.pad + font + 3, size: font + 3, anchor: "middle", className: "title", bold: true)
        }

        // Gridlines under the data.
        if options.showsGrid {
            svg.open("g", [("class", "grid"), ("stroke", Self.gridColor), ("stroke-width", "1")])
            for value in canvas.y.ticks.values { if let py = canvas.py(value) { svg.element("line", hLine(py, area)) } }
            if !canvas.x.isCategorical {
                for value in canvas.x.ticks.values {
                    if let px = canvas.px(value) { svg.element("line", vLine(px, area.y, area.maxY)) }
                }
            }
            svg.close("g")
        }

        // The data, clipped to the plot area.
        svg.open("defs")
        svg.open("clipPath", [("id", "plot-area")])
        let m = clipMargin
        svg.element("rect", [("x", num(area.x - m)), ("y", num(area.y - m)), ("width", num(area.width + 2 * m)), ("height", num(area.height + 2 * m))])
        svg.close("clipPath")
        svg.close("defs")
        svg.open("g", [("class", "data"), ("clip-path", "url(#plot-area)")])
        content(canvas, &svg)
        svg.close("g")

        // Axes, ticks and their labels.
        svg.open("g", [("class", "axes"), ("stroke", Self.axisColor), ("stroke-width", "1")])
        svg.element("line", vLine(area.x, area.y, area.maxY))
        svg.element("line", hLine(area.maxY, area))
        for value in canvas.y.ticks.values {
            if let py = canvas.py(value) {
                svg.element("line", [("x1", num(area.x - Self.tickLength)), ("y1", num(py)), ("x2", num(area.x)), ("y2", num(py))])
            }
        }
        for value in canvas.x.ticks.values {
            if let px = canvas.px(value) { svg.element("line", vLine(px, area.maxY, area.maxY + Self.tickLength)) }
        }
        svg.close("g")
        svg.open("g", [("class", "y-ticks")])
        for (value, label) in zip(canvas.y.ticks.values, canvas.y.ticks.labels) {
            if let py = canvas.py(value) {
                svg.text(label, x: area.x - Self.tickLength - 4, y: py + tickFont * 0.36, size: tickFont, anchor: "end",
                         className: "tick-label", color: "#333")
            }
        }
        svg.close("g")
        svg.open("g", [("class", "x-ticks")])
        for (value, label) in zip(canvas.x.ticks.values, layout.xLabels) {
            guard let px = canvas.px(value), !label.isEmpty else { continue }
            let top = area.maxY + Self.tickLength + 3
            if layout.xLabelAngle == 0 {
                svg.text(label, x: px, y: top + tickFont, size: tickFont, anchor: "middle", className: "tick-label", color: "#333")
            } else {
                svg.text(label, x: px + tickFont * 0.3, y: top + tickFont * 0.6, size: tickFont, anchor: "end",
                         className: "tick-label", rotation: -layout.xLabelAngle, color: "#333")
            }
        }
        svg.close("g")

        // Axis titles and legend.
        if !layout.xTitle.isEmpty {
            svg.text(layout.xTitle, x: area.midX, y: area.maxY + layout.xLabelBand + font * 1.2 + 4, size: font,
                     anchor: "middle", className: "axis-title x-title")
        }
        if !y.axis.title.isEmpty {
            let cx = Self.pad + font * 0.85, cy = area.y + area.height / 2
            svg.text(y.axis.title, x: cx, y: cy, size: font, anchor: "middle", className: "axis-title y-title", rotation: -90)
        }
        let legendBox = Legend(entries: legend, fontSize: font)
        switch layout.legendSide {
        case .right?:
            legendBox.drawColumn(into: &svg, x: area.maxX + 18, y: area.y, maxWidth: layout.width - area.maxX - 18 - Self.pad)
        case .below?:
            legendBox.drawRows(into: &svg, centreX: layout.width / 2, y: layout.height - Self.pad - layout.legendHeight,
                               maxWidth: layout.width - 2 * Self.pad)
        case nil: break
        }
        return svg.document(width: layout.width, height: layout.height)
    }

    private func hLine(_ y: Double, _ area: Rect) -> [(String, String?)] {
        [("x1", num(area.x)), ("y1", num(y)), ("x2", num(area.maxX)), ("y2", num(y))]
    }

    private func vLine(_ x: Double, _ y1: Double, _ y2: Double) -> [(String, String?)] {
        [("x1", num(x)), ("y1", num(y1)), ("x2", num(x)), ("y2", num(y2))]
    }

    /// Where everything goes. Margins are sized from the estimated widths of the labels around
    /// them; x ticks are thinned until their labels do not touch, category names are slanted when
    /// they do not fit in their band.
    private struct Layout {
        var width, height, fontSize: Double
        var area: Rect
        var x, y: PlotScale
        var xTitle: String
        var xLabels: [String]
        var xLabelAngle: Double
        /// The height taken by the x tick marks and labels below the plot area.
        var xLabelBand: Double
        var legendSide: Legend.Side?
        var legendHeight: Double

        init(_ frame: PlotFrame) {
            let o = frame.options, pad = PlotFrame.pad
            (width, height, fontSize) = o.effective
            let font = fontSize, tickFont = font - 1
            let titleTop = frame.title.isEmpty ? pad + tickFont / 2 : pad + (font + 3) * 1.3 + 6
            let yTitleBand = frame.y.axis.title.isEmpty ? 0 : font * 1.4 + 4

            if case .numeric(let axis, _) = frame.x { xTitle = axis.title }
            else if case .categorical(let title, _) = frame.x { xTitle = title }
            else { xTitle = "" }
            let xTitleBand = xTitle.isEmpty ? 0 : font * 1.4 + 6

            let legend = Legend(entries: frame.legend, fontSize: font)
            let estimatedPlotHeight = height - titleTop - 3 * font - xTitleBand - pad
            legendSide = legend.side(for: o.legend, width: width, plotHeight: estimatedPlotHeight)

            // y ticks first: their labels set the left margin, which sets the room for x ticks.
            let yTarget = min(10, max(2, Int(estimatedPlotHeight / 55)))
            y = PlotScale.numeric(frame.y.axis, extent: frame.y.extent, target: yTarget)
            let yLabelWidth = y.ticks.labels.map { TextMetrics.width($0, fontSize: tickFont) }.max() ?? 0
            var left = pad + yTitleBand + yLabelWidth + PlotFrame.tickLength + 6
            let right = legendSide == .right ? 18 + min(legend.columnWidth, 0.3 * width) + pad + 4 : pad + 14
            var plotWidth = max(20, width - left - right)

            var angle = 0.0
            switch frame.x {
            case .numeric(let axis, let extent):
                var target = min(12, max(2, Int(plotWidth / 60)))
                var scale = PlotScale.numeric(axis, extent: extent, target: target)
                while target > 2, !Self.labelsFit(scale, plotWidth, tickFont) {
                    target -= 1
                    scale = PlotScale.numeric(axis, extent: extent, target: target)
                }
                x = scale
                xLabels = scale.ticks.labels
            case .categorical(_, let names):
                x = PlotScale.categorical(names)
                (xLabels, angle) = Self.categoryLabels(names, band: plotWidth / Double(max(1, names.count)),
                                                       fontSize: tickFont, maxLength: 0.3 * height)
                // Slanted labels reach left of their tick: the first one must stay on the canvas.
                if angle > 0, let first = xLabels.first {
                    let reach = TextMetrics.width(first, fontSize: tickFont) * cos(angle * .pi / 180)
                        - plotWidth / Double(max(1, names.count)) / 2
                    if pad + reach > left {
                        left = min(pad + reach, width / 3)
                        plotWidth = max(20, width - left - right)
                    }
                }
            }
            xLabelAngle = angle
            let widestX = xLabels.map { TextMetrics.width($0, fontSize: tickFont) }.max() ?? 0
            let labelHeight = angle == 0 ? tickFont * 1.25 : widestX * sin(angle * .pi / 180) + tickFont
            xLabelBand = PlotFrame.tickLength + 3 + labelHeight

            legendHeight = 0
            if legendSide == .below {
                legendHeight = Double(legend.rows(maxWidth: width - 2 * pad).count) * legend.rowHeight
            }
            let bottom = xLabelBand + xTitleBand + (legendSide == .below ? legendHeight + 8 : 0) + pad
            area = Rect(x: left, y: titleTop, width: plotWidth, height: max(20, height - titleTop - bottom))
        }

        /// Category labels for bands `band` pixels wide: level if they fit, otherwise slanted
        /// (30° to 90°, steeper as bands narrow) and shortened to `maxLength`, and when even upright
        /// labels would touch, only every k-th one. Returns the labels and their angle.
        private static func categoryLabels(_ names: [String], band: Double, fontSize: Double,
                                           maxLength: Double) -> ([String], Double) {
            let widest = names.map { TextMetrics.width($0, fontSize: fontSize) }.max() ?? 0
            guard widest + 8 > band else { return (names, 0) }
            // Neighbouring slanted labels are band × sin(angle) apart, and need a line's height.
            let lineHeight = fontSize * 1.2
            let angle = [30.0, 45, 60, 90].first { band * sin($0 * .pi / 180) >= lineHeight } ?? 90
            let every = max(1, Int(ceil(lineHeight / max(band, 1))))
            let labels = names.enumerated().map { i, name in
                i % every == 0 ? TextMetrics.truncate(name, toWidth: maxLength, fontSize: fontSize) : ""
            }
            return (labels, angle)
        }

        /// Whether the tick labels of `scale` leave a gap between neighbours along `length` pixels.
        private static func labelsFit(_ scale: PlotScale, _ length: Double, _ fontSize: Double) -> Bool {
            let placed = zip(scale.ticks.values, scale.ticks.labels).compactMap { value, label in
                scale.fraction(value).map { (at: $0 * length, width: TextMetrics.width(label, fontSize: fontSize)) }
            }
            return zip(placed, placed.dropFirst()).allSatisfy { a, b in b.at - a.at >= (a.width + b.width) / 2 + 10 }
        }
    }
}
