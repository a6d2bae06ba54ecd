/// Whether a metric improves upwards (accuracy) or downwards (loss, latency, cost).
public enum MetricDirection: Sendable, Equatable {
    /// Larger values are better, e.g. accuracy.
    case higherIsBetter
    /// Smaller values are better, e.g. loss or response time.
    case lowerIsBetter

    /// Whether `a` is strictly better than `b`.
    func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .higherIsBetter ? a > b : a < b
    }

    /// Whether `value` reaches `target` (at or beyond it in the good direction).
    func reaches(_ value: Double, _ target: Double) -> Bool {
        self == .higherIsBetter ? value >= target : value <= target
    }
}
