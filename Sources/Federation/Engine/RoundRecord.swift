/// What one global round did, as the run file records it.
public struct RoundRecord: Sendable {
    /// One local round of one aggregator (the global aggregator's own when flat).
    public struct AggregatorRound: Sendable {
        /// The aggregator's id.
        public var id: String
        /// 1-based local round.
        public var localRound: Int
        /// Clients asked, succeeded and failed.
        public var asked: Int, succeeded: Int, failed: Int
        /// Σ n_k of the clients aggregated (0 when none succeeded: the aggregator kept its model).
        public var weight: Double
        /// Test accuracy and loss of the aggregator's model after its last local round, when evaluated.
        public var accuracy: Double?, loss: Double?
    }

    /// One client's local round.
    public struct ClientRound: Sendable {
        /// The client's id and parent.
        public var id: String, parent: String
        /// 1-based local round.
        public var localRound: Int
        /// Training samples (n_k).
        public var samples: Int
        /// Mean training loss of its last epoch (NaN when it failed).
        public var trainLoss: Double
        /// Whether it failed (sent nothing).
        public var failed: Bool
        /// The weight its update got (after any weighting hook; 0 if rejected or failed).
        public var weight: Double
        /// Its model's accuracy on its own training samples after training, when measured.
        public var localAccuracy: Double? = nil
    }

    /// 0 for the initial model, then 1…R.
    public var round: Int
    /// Global model's test accuracy and loss after the round.
    public var accuracy: Double, loss: Double
    /// Communication cost of this round and cumulative.
    public var costRound: Double, costTotal: Double
    /// Simulated seconds of this round and cumulative (0 without speeds and bandwidths).
    public var simulatedRound: Double, simulatedTotal: Double
    /// Wall-clock seconds of this round (training, aggregation, evaluation).
    public var wallRound: Double
    /// Clients asked, succeeded and failed over all local rounds.
    public var asked: Int, succeeded: Int, failed: Int
    /// Per aggregator and local round.
    public var aggregators: [AggregatorRound]
    /// Per client and local round.
    public var clients: [ClientRound]
}

/// Why a federated run stopped.
public enum StopReason: String, Sendable {
    /// All global rounds ran.
    case rounds
    /// The target accuracy was reached.
    case accuracy
    /// The target loss was reached.
    case loss
    /// The next round could exceed the cost budget.
    case budget
    /// The simulated time limit was reached.
    case time
}

/// The state needed to continue a run exactly: the global model after `round`, every
/// aggregator's server-optimiser state, and the cumulative cost and time.
public struct FederationCheckpoint: Sendable {
    /// The last completed global round.
    public var round: Int
    /// The global model's parameters.
    public var parameters: [Float]
    /// Aggregator states by node id (e.g. FedAvgM's velocity).
    public var aggregatorStates: [String: [String: [Float]]]
    /// Cumulative communication cost and simulated time.
    public var costTotal: Double, simulatedTotal: Double

    /// Creates a checkpoint.
    public init(round: Int, parameters: [Float], aggregatorStates: [String: [String: [Float]]], costTotal: Double, simulatedTotal: Double) {
        self.round = round; self.parameters = parameters; self.aggregatorStates = aggregatorStates
        self.costTotal = costTotal; self.simulatedTotal = simulatedTotal
    }
}

/// How a federated run ended.
public struct FederationOutcome: Sendable {
    /// The last completed round.
    public var rounds: Int
    /// The global model's final test accuracy and loss.
    public var accuracy: Double, loss: Double
    /// Cumulative cost and simulated time.
    public var costTotal: Double, simulatedTotal: Double
    /// Why it stopped.
    public var reason: StopReason
}

/// Per-update facts a weighting hook (a Lua plugin, say) decides on.
public struct UpdateInfo: Sendable {
    /// The client's id.
    public var client: String
    /// Its training samples.
    public var samples: Int
    /// Its last epoch's mean training loss.
    public var trainLoss: Double
    /// Euclidean distance of the update from the model the client started from.
    public var distance: Double
}

/// Receives the run's progress (to write the run file).
public protocol FederationObserver: AnyObject {
    /// After every round, including round 0 (the initial model).
    func roundFinished(_ record: RoundRecord) throws
    /// Every `checkpointEvery` rounds and at the end.
    func checkpoint(_ checkpoint: FederationCheckpoint) throws
}
