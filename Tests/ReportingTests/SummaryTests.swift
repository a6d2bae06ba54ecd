import Testing
import Reporting

@Suite("Summaries")
struct SummaryTests {
    @Test("percentiles interpolate linearly between closest ranks")
    func percentiles() {
        // Sorted: 15 20 35 40 50; h = 4p/100.
        let values: [Double] = [40, 15, .nan, 50, 35, 20]
        #expect(Summary.percentile(0, of: values) == 15)
        #expect(Summary.percentile(40, of: values) == 29)     // h = 1.6: 20 + 0.6·15
        #expect(Summary.percentile(50, of: values) == 35)     // h = 2
        #expect(Summary.percentile(90, of: values) == 46)     // h = 3.6: 40 + 0.6·10
        #expect(Summary.percentile(100, of: values) == 50)
        #expect(Summary.percentile(101, of: values) == nil)
        #expect(Summary.percentile(-1, of: values) == nil)
        #expect(Summary.percentile(50, of: [.nan]) == nil)
        #expect(Summary.percentile(99, of: [7]) == 7)
        // 1...100: h = 99·0.99 = 98.01 → 99 + 0.01·1.
        let hundred = (1...100).map(Double.init)
        #expect(abs(Summary.percentile(99, of: hundred)! - 99.01) < 1e-9)
        #expect(Summary.percentile(50, of: hundred) == 50.5)
    }

    @Test("sample summary: count, mean, extremes, p50, p90, p99")
    func sampleSummary() throws {
        let s = try #require(SampleSummary([4, 1, 3, 2, .infinity]))
        #expect(s.count == 4 && s.mean == 2.5 && s.min == 1 && s.max == 4)
        #expect(s.p50 == 2.5)                      // h = 1.5
        #expect(abs(s.p90 - 3.7) < 1e-12)          // h = 2.7: 3 + 0.7
        #expect(abs(s.p99 - 3.97) < 1e-12)         // h = 2.97
        #expect(SampleSummary([]) == nil)
        #expect(Summary.mean([1e9 + 1, 1e9 + 2, 1e9 + 3]) == 1e9 + 2)
    }

    static let accuracy = Series(name: "acc", x: [1, 2, 3, 4, 5, 6], y: [0.5, 0.7, .nan, 0.82, 0.9, 0.88])

    @Test("time to target: the x of the first recorded point reaching it, nil if never")
    func timeToTarget() {
        #expect(Summary.firstReaching(0.8, in: Self.accuracy, direction: .higherIsBetter) == 4)
        #expect(Summary.firstReaching(0.7, in: Self.accuracy, direction: .higherIsBetter) == 2)
        #expect(Summary.firstReaching(0.95, in: Self.accuracy, direction: .higherIsBetter) == nil)
        #expect(Summary.firstReaching(.nan, in: Self.accuracy, direction: .higherIsBetter) == nil)
        let loss = Series(name: "loss", x: [10, 20, 30, 40], y: [2, 1.5, 1.6, 0.9])
        #expect(Summary.firstReaching(1.0, in: loss, direction: .lowerIsBetter) == 40)
        #expect(Summary.firstReaching(1.5, in: loss, direction: .lowerIsBetter) == 20)
    }

    @Test("final and best values follow the metric direction, skipping NaN")
    func finalAndBest() {
        let withTrailingNaN = Series(name: "a", x: [1, 2, 3], y: [0.4, 0.6, .nan])
        #expect(Summary.finalValue(of: withTrailingNaN) == 0.6)
        #expect(Summary.finalValue(of: Series(name: "e", points: [])) == nil)
        let best = Summary.best(of: Self.accuracy, direction: .higherIsBetter)
        #expect(best?.x == 5 && best?.y == 0.9)
        let lowest = Summary.best(of: Self.accuracy, direction: .lowerIsBetter)
        #expect(lowest?.x == 1 && lowest?.y == 0.5)
        let tie = Series(name: "t", x: [1, 2], y: [3, 3])
        #expect(Summary.best(of: tie, direction: .higherIsBetter)?.x == 1)
    }
}
