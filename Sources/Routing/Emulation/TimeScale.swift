/// How an emulation maps scenario time onto wall-clock time.
///
/// With speedup `K`, **scenario time runs K times faster than the wall clock**: the Poisson
/// inter-arrival times, the times of the phase events (and their `ready_delay_s` /
/// `watch_delay_s`) and every time constant the routing policy sees (its clock is scenario time,
/// so QEdgeProxy's 60 s cooldown or the SLO-aware 30 s half-life last 60/K and 30/K wall seconds)
/// are divided by K.
///
/// **Request latencies are not scaled**: the network RTTs, handshakes, service times and jitter
/// the emulated instances add are real milliseconds, measured by the real proxy and the load
/// generator on real sockets, so the SLO τ keeps its meaning and the loopback's own overhead
/// (tenths of a millisecond) stays negligible. Dividing latencies by K instead would shrink an
/// 80 ms SLO to 4 ms at K = 20, where timer granularity and the proxy's own overhead would
/// dominate.
///
/// Compressing arrivals but not service times would multiply each instance's utilisation by K,
/// so the instances' FIFO single-server queues run on the **scenario clock**: a request occupies
/// its instance for `service_ms` of scenario time (`service_ms / K` of wall time) and waits for
/// the scenario-time backlog ahead of it. Utilisation and queueing delays are therefore those of
/// the scenario at any K.
///
/// **Pings** (control plane, sequential passes) wait their modeled duration on the scenario
/// clock and report it plus the real loopback overhead (``PingTiming``), so a ping pass takes as
/// much scenario time as in the scenario.
///
/// What K does change: requests overlap K times more on the wall clock, so a policy learns of a
/// response (and of a miss) after K times as many later arrivals as in the scenario, and a
/// scheduling stall of the host costs K times more scenario time. Keep K small enough that
/// `rate × K × slowest response` stays a few requests (the default 20 gives 40 req/s).
public struct TimeScale: Hashable, Sendable {
    /// The speedup K (> 0): scenario seconds per wall-clock second.
    public let speedup: Double

    /// A time scale with speedup `speedup`; `nil` unless it is a finite number > 0.
    public init?(speedup: Double) {
        guard speedup.isFinite, speedup > 0 else { return nil }
        self.speedup = speedup
    }

    /// Real time: scenario time and wall time run at the same pace.
    public static let realTime = TimeScale(unchecked: 1)

    private init(unchecked speedup: Double) { self.speedup = speedup }

    /// Wall-clock seconds for `seconds` of scenario time.
    public func wallSeconds(forScenario seconds: Double) -> Double { seconds / speedup }

    /// Scenario seconds for `seconds` of wall-clock time.
    public func scenarioSeconds(forWall seconds: Double) -> Double { seconds * speedup }
}
