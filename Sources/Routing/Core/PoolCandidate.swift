/// One member of a QoS pool as handed to a ``Balancer``: the instance, the predictor's view of
/// it and the number of requests currently outstanding on it (from this proxy).
public struct PoolCandidate: Hashable, Sendable {
    /// The instance.
    public var instance: Instance
    /// The predictor's current estimate for the instance.
    public var prediction: Prediction
    /// Requests routed to the instance whose responses have not arrived yet.
    public var inFlight: Int

    /// Creates a pool member.
    public init(instance: Instance, prediction: Prediction, inFlight: Int = 0) {
        self.instance = instance
        self.prediction = prediction
        self.inFlight = inFlight
    }
}
