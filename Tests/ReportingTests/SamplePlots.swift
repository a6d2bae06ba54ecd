import Foundation
import Reporting

/// Deterministic sample data for the plot tests and the sample gallery: synthetic federated
/// learning curves and response times (a fixed linear congruential generator, no randomness).
enum SamplePlots {
    /// Uniform numbers in (0, 1) from a fixed seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        /// A log-normal draw with the given median and spread (Box–Muller).
        mutating func logNormal(median: Double, sigma: Double) -> Double {
            let z = (-2 * Foundation.log(next())).squareRoot() * cos(2 * .pi * next())
            return median * exp(sigma * z)
        }
    }

    static func accuracyCurve(rounds: Int, ceiling: Double, rate: Double, seed: UInt64) -> [(x: Double, y: Double)] {
        var g = Generator(state: seed)
        return (1...rounds).map { r in
            (x: Double(r), y: ceiling * (1 - exp(-rate * Double(r))) + 0.1 + (g.next() - 0.5) * 0.01)
        }
    }

    static var linePlot: LinePlot {
        LinePlot(title: "Test accuracy per round, Fashion-MNIST, 10 clients",
                 series: [
                    Series(name: "FedAvg", points: accuracyCurve(rounds: 60, ceiling: 0.78, rate: 0.06, seed: 1)),
                    Series(name: "FedProx (μ = 0.01)", points: accuracyCurve(rounds: 60, ceiling: 0.8, rate: 0.05, seed: 2)),
                    Series(name: "Adaptive <async> & co", points: accuracyCurve(rounds: 60, ceiling: 0.8, rate: 0.09, seed: 3)),
                 ],
                 xAxis: Axis(label: "Round"), yAxis: Axis(label: "Test accuracy"),
                 target: TargetLine(value: 0.85, label: "target 0.85"))
    }

    static func responseTimes(median: Double, sigma: Double, count: Int, seed: UInt64) -> [Double] {
        var g = Generator(state: seed)
        return (0..<count).map { _ in g.logNormal(median: median, sigma: sigma) }
    }

    static var balancerSamples: [Sample] {
        [Sample(name: "round robin", values: responseTimes(median: 42, sigma: 0.5, count: 2000, seed: 7)),
         Sample(name: "least loaded", values: responseTimes(median: 30, sigma: 0.4, count: 2000, seed: 8)),
         Sample(name: "QoS-aware", values: responseTimes(median: 24, sigma: 0.3, count: 2000, seed: 9))]
    }

    static var cdfPlot: CDFPlot {
        CDFPlot(title: "Response time distribution per balancer", samples: balancerSamples,
                xAxis: Axis(label: "Response time", unit: "ms", scale: .log))
    }

    static var histogramPlot: HistogramPlot {
        HistogramPlot(title: "Response times, overlaid", samples: Array(balancerSamples.prefix(2)),
                      xAxis: Axis(label: "Response time", unit: "ms", range: 0...150), binning: .width(5), normalization: .fractions)
    }

    static var sideBySideHistogram: HistogramPlot {
        HistogramPlot(title: "Response times, side by side", samples: balancerSamples,
                      xAxis: Axis(label: "Response time", unit: "ms"), binning: .count(12), arrangement: .sideBySide)
    }

    static var barPlot: BarPlot {
        BarPlot(title: "Requests per instance",
                categories: ["edge-1", "edge-2", "edge-3", "fog-1", "fog-2", "cloud-1"],
                series: [BarSeries(name: "round robin", values: [1667, 1667, 1666, 1667, 1667, 1666]),
                         BarSeries(name: "least loaded", values: [2100, 1950, 1400, 1200, 1150, 2200]),
                         BarSeries(name: "QoS-aware", values: [2600, 2500, 2300, 900, 700, 1000])],
                xLabel: "Instance", yAxis: Axis(label: "Requests"))
    }

    /// Every sample plot with its file name.
    static var gallery: [(name: String, plot: any Plot)] {
        [("line", linePlot), ("cdf", cdfPlot), ("histogram", histogramPlot),
         ("histogram-side-by-side", sideBySideHistogram), ("bars", barPlot)]
    }
}
