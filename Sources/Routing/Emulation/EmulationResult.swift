/// Everything an emulation produced.
public struct EmulationResult: Sendable {
    /// How late the load generator sent its requests against their planned wall-clock times.
    public struct Lateness: Hashable, Sendable {
        /// Mean lateness (wall-clock ms).
        public var meanMs: Double
        /// 99th percentile (wall-clock ms, nearest rank).
        public var p99Ms: Double
        /// Maximum (wall-clock ms).
        public var maxMs: Double

        /// The statistics of `samples` (ms).
        public init(samples: [Double]) {
            let sorted = samples.sorted()
            meanMs = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            maxMs = sorted.last ?? 0
            let k = Int((0.99 * Double(sorted.count)).rounded(.up)) - 1
            p99Ms = sorted.isEmpty ? 0 : sorted[min(max(k, 0), sorted.count - 1)]
        }

        /// Whether the host was too busy for faithful timing: sends late by more than 5 ms at the
        /// 99th percentile or by more than 20 ms at worst. Such stalls delay the answers in flight
        /// alike, so their response times (and the policy's view) include them.
        public var isDisturbed: Bool { p99Ms > 5 || maxMs > 20 }
    }

    /// The run in the simulator's form (records, summary, pools), so it can be summarised,
    /// recorded and compared like a simulation.
    public var run: SimulationResult
    /// The time scale used.
    public var timeScale: TimeScale
    /// Wall-clock seconds of the run (from the first planned step to the last answer).
    public var wallSeconds: Double
    /// Send lateness of the load generator.
    public var lateness: Lateness
    /// The proxy's forwarding attempts by instance and outcome label (`2xx`, `connect_refused`,
    /// `reset`, ...), retries included.
    public var attempts: [String: [String: UInt64]]
}
