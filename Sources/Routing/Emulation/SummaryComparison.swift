/// Two summaries of the same case and seed side by side (an emulation against its simulation):
/// success rate, mean, p50, p99 and each instance's share of the requests, with the
/// differences (emulated − simulated).
public struct SummaryComparison: Hashable, Sendable {
    /// One compared quantity.
    public struct Row: Hashable, Sendable {
        /// `success_rate`, `mean_response_ms`, `p50_ms`, `p99_ms` or `share:<instance>`.
        public var key: String
        /// The emulated value.
        public var emulated: Double
        /// The simulated value.
        public var simulated: Double
        /// `emulated − simulated`.
        public var difference: Double { emulated - simulated }
    }

    /// The rows: the four statistics, then the shares of every instance either run used, by name.
    public let rows: [Row]

    /// Compares `emulated` with `simulated`.
    public init(emulated: SimulationSummary, simulated: SimulationSummary) {
        var rows = [
            Row(key: "success_rate", emulated: emulated.successRate, simulated: simulated.successRate),
            Row(key: "mean_response_ms", emulated: emulated.meanMs, simulated: simulated.meanMs),
            Row(key: "p50_ms", emulated: emulated.p50Ms, simulated: simulated.p50Ms),
            Row(key: "p99_ms", emulated: emulated.p99Ms, simulated: simulated.p99Ms),
        ]
        let names = Set(emulated.perInstance.keys).union(simulated.perInstance.keys).sorted()
        rows += names.map { Row(key: "share:\($0)", emulated: emulated.share($0), simulated: simulated.share($0)) }
        self.rows = rows
    }

    /// The row of `key`.
    public func row(_ key: String) -> Row? { rows.first { $0.key == key } }

    /// The instance-share rows as `[instance: row]`.
    public var shares: [String: Row] {
        Dictionary(rows.filter { $0.key.hasPrefix("share:") }.map { (String($0.key.dropFirst(6)), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The largest absolute difference of an instance share.
    public var maxShareDifference: Double { shares.values.map { abs($0.difference) }.max() ?? 0 }
}
