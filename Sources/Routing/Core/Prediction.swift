/// A predictor's view of one instance: the probability that a request meets the SLO and an
/// estimate of its latency (spec §2, predictor plugin output `{p_ok, latency_est}`).
public struct Prediction: Hashable, Sendable {
    /// Estimated probability that the next request to the instance is an SLO success.
    public var pOK: Double
    /// Estimated response time in milliseconds, when the predictor has one.
    public var latencyMs: Double?

    /// Creates a prediction.
    public init(pOK: Double, latencyMs: Double? = nil) {
        self.pOK = pOK
        self.latencyMs = latencyMs
    }
}
