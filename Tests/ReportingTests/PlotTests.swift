import Foundation
import Testing
@testable import Reporting

@Suite("SVG plots")
struct PlotTests {
    /// Every plot type with ordinary data.
    static var ordinaryPlots: [(name: String, plot: any Plot, seriesCount: Int)] {
        SamplePlots.gallery.map { name, plot in
            let count: Int
            switch plot {
            case let p as LinePlot: count = p.series.count
            case let p as CDFPlot: count = p.samples.count
            case let p as HistogramPlot: count = p.samples.count
            case let p as BarPlot: count = p.series.count
            default: count = -1
            }
            return (name, plot, count)
        }
    }

    @Test("every plot is well-formed XML with one series path and one legend entry per series")
    func wellFormedWithPathAndLegendPerSeries() throws {
        for (name, plot, count) in Self.ordinaryPlots {
            let doc = try SVGDocument(plot.svg())
            #expect(doc.root?.name == "svg", "\(name)")
            #expect(doc.seriesPaths.count == count, "\(name)")
            #expect(doc.legendLabels.count == count, "\(name)")
            #expect(doc.seriesPaths.allSatisfy { !($0.attributes["d"] ?? "").isEmpty }, "\(name)")
        }
    }

    @Test("names with &, <, > and quotes are escaped and read back unchanged")
    func escapedNames() throws {
        let names = ["A & B", "<async>", "x > \"y\" 'z'"]
        let line = LinePlot(title: "T&C <1>", series: names.map { Series(name: $0, x: [1, 2], y: [1, 2]) },
                            xAxis: Axis(label: "x<y", unit: "&"), yAxis: Axis(label: "y"))
        let svg = line.svg()
        #expect(svg.contains("A &amp; B"))
        #expect(svg.contains("&lt;async&gt;"))
        let doc = try SVGDocument(svg)
        #expect(doc.legendLabels == names)
        #expect(doc.all("text").contains { $0.text == "T&C <1>" })
        #expect(doc.all("text").contains { $0.text == "x<y (&)" })
        let bars = BarPlot(categories: ["a<b", "c&d"], series: [BarSeries(name: "<s>", values: [1, 2])], yAxis: Axis(label: "n"))
        let barDoc = try SVGDocument(bars.svg())
        #expect(barDoc.tickLabels("x-ticks") == ["a<b", "c&d"])
        #expect(barDoc.legendLabels == ["<s>"])
    }

    @Test("axis tick labels are evenly spaced 1-2-5 numbers that cover the data, without float noise")
    func niceTicksCoverData() throws {
        let cases: [(lo: Double, hi: Double)] = [(0.13, 0.87), (0.1, 0.3), (-3.7, 12.2), (1017, 1093), (0, 1e7), (2e-5, 9e-5), (-0.3, -0.1)]
        for (lo, hi) in cases {
            let plot = LinePlot(series: [Series(name: "s", x: [lo, (lo + hi) / 2, hi], y: [hi, lo, (lo + hi) / 2])],
                                xAxis: Axis(label: "x"), yAxis: Axis(label: "y"))
            let doc = try SVGDocument(plot.svg())
            for axis in ["x-ticks", "y-ticks"] {
                let labels = doc.tickLabels(axis)
                let values = labels.compactMap(Double.init)
                #expect(values.count == labels.count && values.count >= 2, "\(axis) \(labels)")
                let step = try #require(TickCheck.niceStep(of: values), "\(axis) \(labels) not nice")
                #expect(values.first! <= lo && values.last! >= hi, "\(axis) \(labels) do not cover \(lo)...\(hi)")
                #expect(values.first! > lo - step * 1.000001 && values.last! < hi + step * 1.000001, "\(labels) too wide")
                if !labels.contains(where: { $0.contains("e") }) {
                    let expected = max(0, -Int(floor(log10(step) + 1e-9)))
                    #expect(labels.allSatisfy { TickCheck.decimals($0) == expected }, "\(labels)")
                }
            }
        }
    }

    @Test("a fixed axis range is kept, with nice ticks inside it")
    func fixedRange() throws {
        let plot = LinePlot(series: [Series(name: "s", x: [0, 10], y: [0.5, 0.7])],
                            xAxis: Axis(label: "x", range: 0...10), yAxis: Axis(label: "y", range: 0...1))
        let labels = try SVGDocument(plot.svg()).tickLabels("y-ticks").compactMap(Double.init)
        #expect(labels.first == 0 && labels.last == 1)
        #expect(TickCheck.niceStep(of: labels) != nil)
    }

    @Test("log axes have powers of ten (and 2 and 5 times them over few decades) covering the data")
    func logTicks() throws {
        for (lo, hi) in [(0.004, 3.0), (3.0, 40.0), (1.0, 1e9)] {
            let plot = CDFPlot(samples: [Sample(name: "s", values: [lo, hi, -1, 0])], xAxis: Axis(label: "t", scale: .log))
            let values = try SVGDocument(plot.svg()).tickLabels("x-ticks").compactMap(Double.init)
            #expect(values.count >= 2)
            #expect(values.first! <= lo && values.last! >= hi, "\(values)")
            for v in values {
                let mantissa = v / pow(10, floor(log10(v) + 1e-12))
                #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(v)")
            }
        }
    }

    @Test("x tick labels do not overlap, even on a narrow plot")
    func xLabelsDoNotOverlap() throws {
        for width in [240.0, 400, 720, 1400] {
            let plot = LinePlot(series: [Series(name: "s", x: [123_456, 987_654], y: [1, 2])], xAxis: Axis(label: "cost"),
                                yAxis: Axis(label: "y"), options: PlotOptions(width: width))
            let labels = try SVGDocument(plot.svg()).all("text", inside: "x-ticks")
            for (a, b) in zip(labels, labels.dropFirst()) {
                let room = (TextMetrics.width(a.text, fontSize: 12) + TextMetrics.width(b.text, fontSize: 12)) / 2
                #expect(try #require(b.number("x")) - #require(a.number("x")) >= room, "width \(width): \(a.text) \(b.text)")
            }
        }
    }

    @Test("category labels too wide for their band are slanted, stay on the canvas and keep apart")
    func slantedCategoryLabels() throws {
        for count in [6, 30] {
            let names = (1...count).map { "instance-with-a-long-name-\($0)" }
            let plot = BarPlot(categories: names, series: [BarSeries(name: "s", values: names.map { _ in 1 })], yAxis: Axis(label: "n"))
            let labels = try SVGDocument(plot.svg()).all("text", inside: "x-ticks").filter { !$0.text.isEmpty }
            #expect(labels.count >= 2)
            for (a, b) in zip(labels, labels.dropFirst()) {
                let transform = try #require(a.attributes["transform"])
                let angle = try #require(Double(transform.dropFirst("rotate(".count).prefix { $0 != " " }))
                let x = try #require(a.number("x")), width = TextMetrics.width(a.text, fontSize: 12)
                #expect(x - width * cos(-angle * .pi / 180) >= 0, "\(count): \(a.text) leaves the canvas")
                // Parallel slanted labels are (Δx · sin angle) apart.
                #expect(try #require(b.number("x")) - x >= 12 / sin(-angle * .pi / 180), "\(count): labels touch")
            }
        }
    }

    @Test("NaN and infinite points are skipped: the line breaks there and no NaN reaches the SVG")
    func nonFinitePointsSkipped() throws {
        let s = Series(name: "gappy", x: [1, 2, 3, 4, 5, .nan], y: [0.1, 0.2, .nan, 0.4, .infinity, 0.6])
        let svg = LinePlot(series: [s], xAxis: Axis(label: "x"), yAxis: Axis(label: "y")).svg()
        #expect(!svg.lowercased().contains("nan") && !svg.lowercased().contains("inf"))
        let doc = try SVGDocument(svg)
        let d = try #require(doc.seriesPaths.first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(d.filter { $0 == "L" }.count == 1)
        // The isolated point at x = 4 gets a marker, since a lone point draws no line.
        #expect(doc.all("circle").count == 1)
        let yLabels = doc.tickLabels("y-ticks").compactMap(Double.init)
        #expect(yLabels.first! <= 0.1 && yLabels.last! >= 0.4 && yLabels.last! < 0.6)
    }

    /// Plots with awkward inputs: none may crash, all must be well-formed and free of NaN.
    static var degeneratePlots: [(String, any Plot)] {
        let line = { (series: [Series], x: Axis, y: Axis, options: PlotOptions) in
            LinePlot(title: "", series: series, xAxis: x, yAxis: y, options: options)
        }
        let x = Axis(label: ""), y = Axis(label: "")
        return [
            ("no series", line([], x, y, PlotOptions())),
            ("empty series", line([Series(name: "e", points: [])], x, y, PlotOptions())),
            ("single point", line([Series(name: "p", x: [3], y: [0.5])], x, y, PlotOptions())),
            ("all equal", line([Series(name: "c", x: [1, 1, 1], y: [7, 7, 7])], x, y, PlotOptions())),
            ("all zero", line([Series(name: "z", x: [0, 0], y: [0, 0])], x, y, PlotOptions())),
            ("all NaN", line([Series(name: "n", x: [.nan, 1], y: [1, .nan])], x, y, PlotOptions())),
            ("huge", line([Series(name: "h", x: [-1e308, 1e308], y: [-1e308, 1e308])], x, y, PlotOptions())),
            ("tiny span", line([Series(name: "t", x: [1, 1 + 1e-12], y: [1e15, 1e15 + 1])], x, y, PlotOptions())),
            ("log with non-positive", line([Series(name: "l", x: [0, -1, 2], y: [0, 1, 2])],
                                           Axis(label: "", scale: .log), Axis(label: "", scale: .log), PlotOptions())),
            ("bad range", line([Series(name: "r", x: [1, 2], y: [1, 2])], Axis(label: "", range: 5...5),
                               Axis(label: "", scale: .log, range: -1...1), PlotOptions())),
            ("tiny canvas", line([Series(name: "s", x: [1, 2], y: [1, 2])], x, y, PlotOptions(width: 0, height: -5, fontSize: 0))),
            ("target only", LinePlot(series: [], xAxis: x, yAxis: y, target: TargetLine(value: 0.9, label: "t"))),
            ("CDF empty", CDFPlot(samples: [Sample(name: "e", values: [])], xAxis: x)),
            ("CDF single", CDFPlot(samples: [Sample(name: "s", values: [4])], xAxis: x)),
            ("CDF NaN", CDFPlot(samples: [Sample(name: "n", values: [.nan, .infinity])], xAxis: Axis(label: "", scale: .log))),
            ("histogram empty", HistogramPlot(samples: [], xAxis: x)),
            ("histogram all equal", HistogramPlot(samples: [Sample(name: "c", values: [2, 2, 2])], xAxis: x,
                                                  arrangement: .sideBySide, normalization: .fractions)),
            ("histogram zero width", HistogramPlot(samples: [Sample(name: "w", values: [1, 2])], xAxis: x, binning: .width(0))),
            ("histogram tiny width", HistogramPlot(samples: [Sample(name: "w", values: [0, 1e9])], xAxis: x, binning: .width(1e-9))),
            ("histogram zero count", HistogramPlot(samples: [Sample(name: "w", values: [1, 2])], xAxis: x, binning: .count(0))),
            ("bars empty", BarPlot(categories: [], series: [], yAxis: y)),
            ("bars missing", BarPlot(categories: ["a", "b", "c"], series: [BarSeries(name: "s", values: [.nan, -2])], yAxis: y)),
            ("bars log", BarPlot(categories: ["a", "b"], series: [BarSeries(name: "s", values: [0, 100])],
                                 yAxis: Axis(label: "", scale: .log))),
            ("bars long names", BarPlot(categories: (1...30).map { "instance-with-a-long-name-\($0)" },
                                        series: [BarSeries(name: String(repeating: "long ", count: 80), values: [1])], yAxis: y)),
        ]
    }

    @Test("degenerate inputs give well-formed SVG without NaN or infinity")
    func degenerateInputs() throws {
        for (name, plot) in Self.degeneratePlots {
            let svg = plot.svg()
            let lowered = svg.lowercased()
            #expect(!lowered.contains("nan") && !lowered.contains("inf"), "\(name)")
            let doc = try SVGDocument(svg)
            #expect(doc.root?.name == "svg", "\(name)")
            for element in doc.elements {
                if let size = element.attributes["font-size"] { #expect((Double(size) ?? 0) > 0, "\(name): font-size \(size)") }
                for key in ["x", "y", "x1", "y1", "x2", "y2", "width", "height"] {
                    if let value = element.attributes[key], !value.hasSuffix("%") {
                        #expect(Double(value)?.isFinite == true, "\(name): \(element.name) \(key)=\(value)")
                    }
                }
            }
        }
    }

    @Test("a single point is drawn as a marker")
    func singlePoint() throws {
        let doc = try SVGDocument(LinePlot(series: [Series(name: "p", x: [3], y: [0.5])], xAxis: Axis(label: "x"),
                                           yAxis: Axis(label: "y")).svg())
        #expect(doc.all("circle").count == 1)
        let y = doc.tickLabels("y-ticks").compactMap(Double.init)
        #expect(y.first! < 0.5 && y.last! > 0.5)
    }

    @Test("width and height are configurable and the default is 720×450")
    func size() throws {
        let custom = try SVGDocument(SamplePlots.barPlot.withOptions(PlotOptions(width: 1000, height: 300)).svg())
        #expect(custom.root?.number("width") == 1000 && custom.root?.number("height") == 300)
        let standard = try SVGDocument(SamplePlots.barPlot.svg())
        #expect(standard.root?.number("width") == 720 && standard.root?.number("height") == 450)
        #expect(standard.root?.attributes["font-family"] == "sans-serif")
        let sizes = standard.all("text").compactMap { $0.number("font-size") }
        #expect(sizes.allSatisfy { (12...16).contains($0) })
    }

    @Test("the legend sits outside the data: right of the axes, or below the tick labels for long names")
    func legendPlacement() throws {
        func axisEnds(_ doc: SVGDocument) throws -> (right: Double, bottom: Double) {
            let lines = doc.all("line", inside: "axes")
            return (try #require(lines.compactMap { $0.number("x2") }.max()), try #require(lines.compactMap { $0.number("y2") }.max()))
        }
        let short = try SVGDocument(SamplePlots.linePlot.svg())
        let (right, _) = try axisEnds(short)
        #expect(short.all("text", inside: "legend").allSatisfy { $0.number("x")! > right })

        var long = SamplePlots.linePlot
        long.series[0].name = "FedAvg with learning-rate decay, 10 clients, 2 local epochs, IID partition"
        let doc = try SVGDocument(long.svg())
        let tickBottom = try #require(doc.all("text", inside: "x-ticks").compactMap { $0.number("y") }.max())
        let legend = doc.all("text", inside: "legend")
        #expect(legend.count == 3)
        #expect(legend.allSatisfy { $0.number("y")! > tickBottom + 10 })
        #expect(legend.allSatisfy { $0.number("y")! < 450 })

        var hidden = SamplePlots.linePlot
        hidden.options.legend = .hidden
        #expect(try SVGDocument(hidden.svg()).legendLabels.isEmpty)
    }

    @Test("the target line is drawn with its label, and the y range includes it")
    func targetLine() throws {
        let plot = LinePlot(series: [Series(name: "s", x: [1, 2], y: [0.2, 0.4])], xAxis: Axis(label: "x"),
                            yAxis: Axis(label: "y"), target: TargetLine(value: 0.9, label: "goal & more"))
        let doc = try SVGDocument(plot.svg())
        #expect(doc.all("line").filter { $0.attributes["class"] == "target" }.count == 1)
        #expect(doc.all("text").contains { $0.text == "goal & more" })
        #expect(try #require(doc.tickLabels("y-ticks").compactMap(Double.init).last) >= 0.9)
    }

    @Test("series get distinct colours, and dash patterns once colours repeat")
    func distinctStyles() throws {
        let series = (0..<10).map { Series(name: "s\($0)", x: [0, 1], y: [Double($0), Double($0) + 1]) }
        let doc = try SVGDocument(LinePlot(series: series, xAxis: Axis(label: "x"), yAxis: Axis(label: "y")).svg())
        let styles = doc.seriesPaths.map { "\($0.attributes["stroke"] ?? "")|\($0.attributes["stroke-dasharray"] ?? "")" }
        #expect(Set(styles).count == 10)
        #expect(Set(doc.seriesPaths.prefix(7).map { $0.attributes["stroke"] ?? "" }).count == 7)
    }

    @Test("the CDF rises from 0 to 1 in steps of 1/n at the sample values")
    func cdfSteps() throws {
        let plot = CDFPlot(samples: [Sample(name: "s", values: [3, 1, 2, 2, .nan])], xAxis: Axis(label: "x", range: 0...4))
        let doc = try SVGDocument(plot.svg())
        let d = try #require(doc.seriesPaths.first?.attributes["d"])
        let points = d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { $0.split(separator: " ").compactMap { Double($0) } }
        let ys = points.map { $0[1] }
        // Pixel y decreases as the fraction grows: levels 0, 1/4, 3/4, 1 → four distinct heights.
        #expect(Set(ys).count == 4)
        #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 >= $1 })
        let xs = points.map { $0[0] }
        #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 <= $1 })
        let (bottom, top) = (ys.first!, ys.last!)
        let levels = Set(ys.map { ((bottom - $0) / (bottom - top) * 4).rounded() })
        #expect(levels == [0, 1, 3, 4])
    }

    @Test("a CDF of a large sample stays small: steps closer than a pixel merge")
    func largeCDF() throws {
        let values = SamplePlots.responseTimes(median: 30, sigma: 0.5, count: 100_000, seed: 1)
        let doc = try SVGDocument(CDFPlot(samples: [Sample(name: "s", values: values)], xAxis: Axis(label: "t")).svg())
        let d = try #require(doc.seriesPaths.first?.attributes["d"])
        #expect(d.filter { $0 == "L" }.count < 6_000)
    }

    @Test("bars: one rectangle per present value, rising from zero")
    func barRectangles() throws {
        let plot = BarPlot(categories: ["a", "b", "c"],
                           series: [BarSeries(name: "s", values: [1, .nan, 3]), BarSeries(name: "t", values: [2])],
                           yAxis: Axis(label: "n"))
        let doc = try SVGDocument(plot.svg())
        let rectangles = doc.seriesPaths.map { ($0.attributes["d"] ?? "").filter { $0 == "Z" }.count }
        #expect(rectangles == [2, 1])
        #expect(doc.tickLabels("y-ticks").first.flatMap(Double.init) == 0)
    }
}

extension BarPlot {
    func withOptions(_ options: PlotOptions) -> BarPlot {
        var copy = self
        copy.options = options
        return copy
    }
}
