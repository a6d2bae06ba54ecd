import Foundation

/// Finagle / linkerd Peak-EWMA cost of one endpoint (spec §6.1).
///
/// Observing an RTT: `w = exp(−Δt/τ_d)`; `cost = rtt` if `rtt > cost`, else
/// `cost·w + rtt·(1−w)`. The load first observes 0 (so idle endpoints decay toward 0 and get
/// retried), then is `penalty + pending` when `cost == 0` with requests pending, else
/// `cost · (pending + 1)`.
public struct PeakEWMAPredictor: Hashable, Sendable {
    /// Finagle's penalty for an endpoint with pending requests and no cost (`Long.MaxValue >> 16`).
    public static let penalty = Double(Int64.max >> 16)

    /// Decay time constant τ_d (s).
    public let decayS: Double
    /// Current cost (ms).
    public private(set) var cost: Double
    /// Time of the last update (s).
    public private(set) var stamp: Double
    /// Outstanding requests.
    public var pending: Int = 0

    /// Creates an endpoint with the default RTT as its cost.
    public init(defaultRttMs: Double, decayS: Double, at now: Double) {
        self.decayS = decayS
        self.cost = defaultRttMs
        self.stamp = now
    }

    /// Folds in an RTT (ms) observed at `now`.
    public mutating func observe(rttMs: Double, at now: Double) {
        let dt = max(now - stamp, 0)
        let w = exp(-dt / decayS)
        cost = rttMs > cost ? rttMs : cost * w + rttMs * (1 - w)
        stamp = max(stamp, now)
    }

    /// The load at `now` (decays the cost as a side effect, as Finagle's `load` does).
    public mutating func load(at now: Double) -> Double {
        observe(rttMs: 0, at: now)
        if cost == 0, pending != 0 { return Self.penalty + Double(pending) }
        return cost * Double(pending + 1)
    }
}
