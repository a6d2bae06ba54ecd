/// QEdgeProxy's latency state for one node (or instance) of a service (spec §3, Go `HostData`):
/// an EWMA of real samples that a ping approximation may seed or overwrite.
///
/// - a real sample with no state sets `L = sample`;
/// - after an approximation, the first real sample gives `L = (1−w_a)·L + w_a·sample`;
/// - otherwise `L = (1−β)·L + β·sample`;
/// - with integer truncation (Go `int(...)`), samples and `L` are whole milliseconds.
public struct EWMAPredictor: Hashable, Sendable {
    /// Current estimate L (ms).
    public private(set) var latencyMs: Double
    /// Whether L comes from a ping approximation rather than real samples.
    public private(set) var approximated: Bool
    /// `false` after a transport error, until the next success.
    public private(set) var healthy: Bool
    /// Consecutive transport errors.
    public private(set) var failures: Int
    /// Time of the last real sample, failure or approximation entry (Go `ReqTime`), in seconds.
    public private(set) var stamp: Double

    /// Creates a state from a real sample.
    public init(sample: Double, at now: Double) {
        latencyMs = sample
        approximated = false
        healthy = true
        failures = 0
        stamp = now
    }

    /// Creates a state from a ping approximation taken at `now`.
    public static func approximation(latencyMs: Double, at now: Double) -> EWMAPredictor {
        var s = EWMAPredictor(sample: latencyMs, at: now)
        s.approximated = true
        return s
    }

    /// Creates the state Go creates for a first transport error (L = 0, unhealthy, 1 failure).
    public static func failure(at now: Double) -> EWMAPredictor {
        var s = EWMAPredictor(sample: 0, at: now)
        s.healthy = false
        s.failures = 1
        return s
    }

    /// Folds in a real sample (already truncated if `truncate`).
    public mutating func observe(sample: Double, weight: Double, approximationWeight: Double,
                                 truncate: Bool, at now: Double) {
        let w = approximated ? approximationWeight : weight
        let next = (1 - w) * latencyMs + w * sample
        latencyMs = truncate ? next.rounded(.towardZero) : next
        failures = 0
        approximated = false
        healthy = true
        stamp = now
    }

    /// Records a transport error.
    public mutating func observeFailure(at now: Double) {
        healthy = false
        stamp = now
        failures += 1
    }

    /// Replaces L by a ping approximation (the merge of a pass), keeping the stamp and health.
    public mutating func overwrite(approximationMs: Double) {
        latencyMs = approximationMs
        approximated = true
    }

    /// Whether the node is in its failure cooldown at `now` (`base · failures` real seconds).
    public func inFailureCooldown(at now: Double, baseS: Double) -> Bool {
        !healthy && (now - stamp) < baseS * Double(failures)
    }

    /// The prediction for an admission bound: admitted (p = 1) iff `L < maxLatencyMs`.
    public func prediction(maxLatencyMs: Double) -> Prediction {
        Prediction(pOK: latencyMs < maxLatencyMs ? 1 : 0, latencyMs: latencyMs)
    }
}
