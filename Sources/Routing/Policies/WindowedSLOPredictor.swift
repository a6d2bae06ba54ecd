import Foundation

/// aiotwin's per-instance SLO predictor (spec §5): `p = F̂(τ)` from time-decayed success and miss
/// counts with a prior.
///
/// Counts decay with half-life `halfLifeS`; the estimate is
/// `p = (S + w·m) / (S + M + w)`, where `S`, `M` are the decayed success and miss counts, `w` the
/// prior weight (pseudo-requests) and `m` the prior mean (1 when the instance is feasible by
/// environment: warm RTT + ŝ ≤ margin·τ, else 0).
public struct WindowedSLOPredictor: Hashable, Sendable {
    /// Half-life of the counts (s).
    public let halfLifeS: Double
    /// Prior weight w (pseudo-requests).
    public let priorWeight: Double
    /// Decayed success count at `stamp`.
    public private(set) var successes: Double = 0
    /// Decayed miss count at `stamp`.
    public private(set) var misses: Double = 0
    /// Time the counts refer to (s).
    public private(set) var stamp: Double

    /// Creates an empty predictor at time `now`.
    public init(halfLifeS: Double = 30, priorWeight: Double = 2, at now: Double) {
        self.halfLifeS = halfLifeS
        self.priorWeight = priorWeight
        self.stamp = now
    }

    /// The decay factor from `stamp` to `now`.
    func factor(to now: Double) -> Double {
        now > stamp ? exp2(-(now - stamp) / halfLifeS) : 1
    }

    /// Records one request outcome at `now`.
    public mutating func record(success: Bool, at now: Double) {
        let f = factor(to: now)
        successes *= f
        misses *= f
        stamp = max(stamp, now)
        if success { successes += 1 } else { misses += 1 }
    }

    /// Forgets the misses (after a successful re-probe or an environment event).
    public mutating func clearMisses() { misses = 0 }

    /// Decayed (successes, misses) at `now`.
    public func counts(at now: Double) -> (successes: Double, misses: Double) {
        let f = factor(to: now)
        return (successes * f, misses * f)
    }

    /// `p = (S + w·priorMean) / (S + M + w)` at `now`.
    public func pOK(at now: Double, priorMean: Double) -> Double {
        let (s, m) = counts(at: now)
        let denominator = s + m + priorWeight
        return denominator > 0 ? (s + priorWeight * priorMean) / denominator : priorMean
    }
}
