/// Histograms of several samples over shared bins, overlaid or side by side, e.g. response times
/// per balancer.
public struct HistogramPlot: Plot {
    /// How bin widths are chosen. Edges always fall on multiples of the width.
    public enum Binning: Sendable, Equatable {
        /// Sturges' rule on the largest sample (⌈log₂ n⌉ + 1 bins), rounded to a 1-2-5 width.
        case automatic
        /// About this many bins, rounded to a 1-2-5 width.
        case count(Int)
        /// Bins of exactly this width (falls back to automatic if not positive or if it would
        /// give more than 500 bins).
        case width(Double)
    }

    /// How the samples' bars share a bin.
    public enum Arrangement: Sendable, Equatable {
        /// Each sample's bars span the whole bin, translucent, on top of each other.
        case overlaid
        /// The bin is split between the samples, bars next to each other.
        case sideBySide
    }

    /// What the bar heights show.
    public enum Normalization: Sendable, Equatable {
        /// Numbers of observations.
        case counts
        /// Fractions of each sample's (finite) observations, so samples of different sizes compare.
        case fractions
    }

    /// The title above the plot; empty for none.
    public var title: String
    /// The samples, one colour each.
    public var samples: [Sample]
    /// The axis of the observed values (linear; the bins are linear).
    public var xAxis: Axis
    /// The title of the count axis; `nil` is "Count" or "Fraction".
    public var yLabel: String?
    /// How bin widths are chosen.
    public var binning: Binning
    /// Overlaid or side by side.
    public var arrangement: Arrangement
    /// Counts or fractions.
    public var normalization: Normalization
    /// Size, legend placement and gridlines.
    public var options: PlotOptions

    /// A histogram plot.
    public init(title: String = "", samples: [Sample], xAxis: Axis, yLabel: String? = nil,
                binning: Binning = .automatic, arrangement: Arrangement = .overlaid,
                normalization: Normalization = .counts, options: PlotOptions = PlotOptions()) {
        self.title = title
        self.samples = samples
        self.xAxis = xAxis
        self.yLabel = yLabel
        self.binning = binning
        self.arrangement = arrangement
        self.normalization = normalization
        self.options = options
    }

    /// The plot as SVG: one `path` per sample holding all its bars.
    public func svg() -> String {
        let bins = HistogramBins(samples: samples.map(\.values), binning: binning)
        let heights: [[Double]] = zip(samples, bins.counts).map { sample, counts in
            let total = Double(sample.values.filter(\.isFinite).count)
            return counts.map { normalization == .counts ? Double($0) : (total > 0 ? Double($0) / total : 0) }
        }
        var x = xAxis
        x.scale = .linear
        var xExtent = Extent(), yExtent = Extent()
        xExtent.include(contentsOf: bins.edges)
        yExtent.include(0)
        // Only bins inside a fixed x range count towards the y range.
        let visible = bins.edges.indices.dropLast().filter { b in
            x.validRange.map { bins.edges[b + 1] > $0.lowerBound && bins.edges[b] < $0.upperBound } ?? true
        }
        for h in heights { yExtent.include(contentsOf: visible.map { h[$0] }) }
        let styles = samples.indices.map { Palette.resolve(samples[$0].style, index: $0) }
        let overlaid = arrangement == .overlaid
        let frame = PlotFrame(title: title, options: options, x: .numeric(x, xExtent),
                              y: (Axis(label: yLabel ?? (normalization == .counts ? "Count" : "Fraction")), yExtent),
                              legend: zip(samples, styles).map { LegendEntry(name: $0.name, style: $1, swatch: .box) })
        return frame.render { canvas, svg in
            let n = Double(max(1, samples.count))
            for (i, bars) in heights.enumerated() {
                var rects: [Rect] = []
                for (b, height) in bars.enumerated() where height > 0 {
                    guard let x0 = canvas.px(bins.edges[b]), let x1 = canvas.px(bins.edges[b + 1]),
                          let y0 = canvas.py(0), let y1 = canvas.py(height) else { continue }
                    let inset = overlaid ? 0 : min(2, (x1 - x0) * 0.08)
                    let w = (x1 - x0 - 2 * inset) / (overlaid ? 1 : n)
                    rects.append(Rect(x: x0 + inset + (overlaid ? 0 : Double(i) * w), y: y1, width: w, height: y0 - y1))
                }
                var style = styles[i]
                if overlaid { style.fillOpacity = min(style.fillOpacity, 0.35) }
                BarDrawing.draw(rects, name: samples[i].name, style: style, outline: overlaid, into: &svg)
            }
        }
    }
}
