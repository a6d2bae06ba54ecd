/// How an elapsed time is compared with a period given in seconds.
///
/// QEdgeProxy and proxy-mity compare `int(time.Since(t).Seconds()) > period`, i.e. on whole
/// (truncated) seconds; `strictlyGreater` compares the real elapsed time.
public enum TimeComparison: String, Sendable, Hashable, Codable, CaseIterable, SchemaEnum {
    /// `⌊elapsed⌋ > period` (Go `int(time.Since(t).Seconds()) > period`).
    case wholeSecondsStrictlyGreater = "whole_seconds_strictly_greater"
    /// `elapsed > period` on real seconds.
    case strictlyGreater = "strictly_greater"

    /// Whether `elapsedS` counts as more than `periodS`.
    public func exceeds(_ elapsedS: Double, _ periodS: Double) -> Bool {
        switch self {
        case .wholeSecondsStrictlyGreater: return wholeSeconds(elapsedS) > periodS
        case .strictlyGreater: return elapsedS > periodS
        }
    }
}

/// Seconds truncated toward zero, as Go's `int(d.Seconds())`.
@inlinable
public func wholeSeconds(_ seconds: Double) -> Double {
    seconds.rounded(.towardZero)
}
