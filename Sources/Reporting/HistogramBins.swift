import Foundation

/// Bins shared by several samples: edges at nice round values (multiples of a 1-2-5 width) and
/// each sample's count per bin. A bin holds values from its lower edge up to, not including, its
/// upper edge; the last bin also holds its upper edge.
struct HistogramBins: Equatable {
    /// The bin edges, ascending: one more than the number of bins (empty when there is no data).
    var edges: [Double]
    /// For each sample, its count in each bin.
    var counts: [[Int]]

    /// The most bins a histogram gets, whatever it asks for.
    static let maximumCount = 500

    /// Bins over the finite values of all `samples`, with `binning` choosing the width.
    init(samples: [[Double]], binning: HistogramPlot.Binning) {
        let finite = samples.map { $0.filter(\.isFinite) }
        var extent = Extent()
        for values in finite { extent.include(contentsOf: values) }
        guard !extent.isEmpty else {
            edges = []
            counts = finite.map { _ in [] }
            return
        }
        let lo = extent.lower, hi = extent.upper
        if lo == hi {
            // One value: one bin centred on it.
            let half = DecimalStep.nice(atLeast: lo == 0 ? 1 : abs(lo) / 10).value / 2
            edges = [lo - half, hi + half]
            counts = finite.map { [$0.count] }
            return
        }
        let largest = finite.map(\.count).max() ?? 0
        let sturges = Int(ceil(log2(Double(max(1, largest))))) + 1
        var edges: [Double] = []
        if case .width(let width) = binning, width.isFinite, width > 0, (hi - lo) / width < Double(Self.maximumCount) {
            edges = Self.edges(lo, hi, width: width)
        }
        if edges.count < 2 {
            var target = sturges
            if case .count(let n) = binning { target = min(Self.maximumCount, max(1, n)) }
            edges = (hi - lo).isFinite ? NiceTicks.linear(lo, hi, target: target, covering: true).values : [lo, hi]
            if edges.count < 2 { edges = [lo, hi] }
        }
        self.edges = edges
        counts = finite.map { values in
            var bins = [Int](repeating: 0, count: edges.count - 1)
            for v in values { if let i = Self.bin(of: v, edges: edges) { bins[i] += 1 } }
            return bins
        }
    }

    /// The index of the bin holding `value`, or `nil` if it is outside the edges.
    static func bin(of value: Double, edges: [Double]) -> Int? {
        guard let first = edges.first, let last = edges.last, value >= first, value <= last, edges.count > 1 else { return nil }
        // The last edge at or below `value`, by binary search.
        var lo = 0, hi = edges.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if edges[mid] <= value { lo = mid } else { hi = mid }
        }
        return min(lo, edges.count - 2)
    }

    /// Edges at multiples of `width` enclosing `lo...hi`.
    private static func edges(_ lo: Double, _ hi: Double, width: Double) -> [Double] {
        let first = floor(lo / width), last = max(ceil(hi / width), first + 1)
        guard abs(first) < 1e15, abs(last) < 1e15 else { return [] }
        // Rounded to 15 significant digits, so that 3 × 0.1 is the edge 0.3 that a value 0.3 falls on.
        let edge = { (k: Int) in Double(String(format: "%.15g", Double(k) * width)) ?? Double(k) * width }
        var edges = (Int(first)...Int(last)).map(edge)
        if let top = edges.last, top < hi { edges.append(edge(Int(last) + 1)) }
        return edges
    }
}
