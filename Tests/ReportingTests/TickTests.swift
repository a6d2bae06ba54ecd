import Foundation
import Testing
@testable import Reporting

@Suite("Nice ticks")
struct TickTests {
    /// Ranges of many magnitudes and offsets from a fixed generator.
    static var ranges: [(Double, Double)] {
        var g = SamplePlots.Generator(state: 42)
        return (0..<400).map { _ in
            let scale = pow(10, (g.next() * 16 - 8).rounded())
            let a = (g.next() * 2 - 1) * scale * 10, b = a + g.next() * scale * 5 + scale * 1e-3
            return (a, b)
        }
    }

    @Test("covering ticks are 1-2-5 steps enclosing the range, labels exact")
    func coveringProperty() throws {
        for (lo, hi) in Self.ranges {
            for target in [2, 5, 9] {
                let ticks = NiceTicks.linear(lo, hi, target: target, covering: true)
                let step = try #require(TickCheck.niceStep(of: ticks.values), "\(lo)...\(hi): \(ticks.values)")
                #expect(ticks.values.first! <= lo && ticks.values.last! >= hi)
                #expect(ticks.values.count <= target + 3)
                for (value, label) in zip(ticks.values, ticks.labels) {
                    #expect(Double(label).map { abs($0 - value) <= 1e-12 * max(abs(value), step) } == true, "\(label) vs \(value)")
                    #expect(label.count <= 12, "\(label)")
                }
                _ = step
            }
        }
    }

    @Test("ticks inside a fixed range stay inside it")
    func withinProperty() {
        for (lo, hi) in Self.ranges {
            let values = NiceTicks.linear(lo, hi, target: 5, covering: false).values
            #expect(!values.isEmpty && values.allSatisfy { $0 >= lo && $0 <= hi })
            #expect(TickCheck.niceStep(of: values) != nil || values.count == 1)
        }
    }

    @Test("decimal labels are built from digits, never from binary floating point")
    func decimalLabels() {
        let step = DecimalStep(mantissa: 1, exponent: -1)
        #expect((0...5).map { step.label(ofMultiple: $0, scientific: false) } == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"])
        #expect(step.multiple(3) == 0.3)
        #expect(DecimalStep.fixed(-25, -3) == "-0.025")
        #expect(DecimalStep.fixed(5, 2) == "500")
        #expect(DecimalStep.scientific(25, 5) == "2.5e6")
        #expect(DecimalStep.scientific(-20, -5) == "-2e-4")
        #expect(DecimalStep.nice(atLeast: 0.13) == DecimalStep(mantissa: 2, exponent: -1))
        #expect(DecimalStep.nice(atLeast: 7) == DecimalStep(mantissa: 1, exponent: 1))
        #expect(DecimalStep.nice(atLeast: 5) == DecimalStep(mantissa: 5, exponent: 0))
    }

    @Test("shared histogram bins: nice edges holding every value, last edge inclusive")
    func histogramBins() {
        let bins = HistogramBins(samples: [[0, 0.1, 0.2, 0.3, 1.0], [0.95, .nan]], binning: .width(0.1))
        #expect(bins.edges.first == 0 && bins.edges.last == 1.0)
        #expect(bins.counts[0].reduce(0, +) == 5 && bins.counts[1].reduce(0, +) == 1)
        // 0.3 belongs to [0.3, 0.4) and 1.0 to the last bin, whatever 0.3 / 0.1 rounds to.
        #expect(bins.counts[0][3] == 1 && bins.counts[0][9] == 1)
        let same = HistogramBins(samples: [[5, 5, 5]], binning: .automatic)
        #expect(same.edges.count >= 2 && same.counts[0].reduce(0, +) == 3)
        let auto = HistogramBins(samples: [(0..<1000).map(Double.init)], binning: .automatic)
        #expect((8...25).contains(auto.edges.count - 1))
        #expect(TickCheck.niceStep(of: auto.edges) != nil)
    }
}
