import Foundation
#if canImport(Learning)
import Learning
#endif

/// The open-loop Poisson arrival times of a run, in scenario seconds from the start.
///
/// Drawn exactly as the ``Simulator`` draws them (the `arrivals` stream of the seed, exponential
/// inter-arrival times with the workload's rate, the first request one inter-arrival after 0), so
/// an emulation and a simulation of the same seed send request `k` at the same scenario time.
public struct ArrivalSchedule: Hashable, Sendable {
    /// Arrival time of request `k` at index `k` (seconds, increasing).
    public let times: [Double]

    /// The first `count` arrivals of a Poisson process of `ratePerS` requests per second.
    public init(seed: UInt64, ratePerS: Double, count: Int) {
        var rng = SeededGenerator(seed: seed, label: "arrivals")
        var t = 0.0
        var out: [Double] = []
        out.reserveCapacity(max(0, count))
        for _ in 0..<max(0, count) {
            t += -log1p(-rng.uniform()) / ratePerS
            out.append(t)
        }
        times = out
    }

    /// The arrivals of `definition.requests` requests of `workload`.
    public init(seed: UInt64, workload: Workload, requests: Int) {
        self.init(seed: seed, ratePerS: workload.ratePerS, count: requests)
    }
}
