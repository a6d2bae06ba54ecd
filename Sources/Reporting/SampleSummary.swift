/// The usual summary of a sample such as response times: count, mean, extremes and the 50th, 90th
/// and 99th percentiles (linear interpolation, as `Summary.percentile` defines).
public struct SampleSummary: Sendable, Equatable {
    /// The number of finite values.
    public var count: Int
    /// The arithmetic mean.
    public var mean: Double
    /// The smallest value.
    public var min: Double
    /// The median.
    public var p50: Double
    /// The 90th percentile.
    public var p90: Double
    /// The 99th percentile.
    public var p99: Double
    /// The largest value.
    public var max: Double

    /// The summary of the finite values of `values`; `nil` if there are none.
    public init?(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last, let mean = Summary.mean(sorted),
              let p50 = Summary.percentile(50, ofSorted: sorted), let p90 = Summary.percentile(90, ofSorted: sorted),
              let p99 = Summary.percentile(99, ofSorted: sorted) else { return nil }
        self.count = sorted.count
        self.mean = mean
        self.min = first
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = last
    }
}
