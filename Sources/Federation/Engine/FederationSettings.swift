import Learning

/// How clients train in each local round.
public struct ClientTraining: Sendable, Equatable {
    /// Samples per step.
    public var batchSize: Int
    /// The client optimiser, created afresh for every local round (no state survives a round).
    public var optimizer: OptimizerConfig
    /// FedProx's proximal coefficient μ (0: plain local SGD).
    public var mu: Float
    /// Whether the client's sample order is reshuffled every epoch or once per local round.
    public var shuffle: TrainingOptions.Shuffle

    /// Creates client training settings.
    public init(batchSize: Int = 32, optimizer: OptimizerConfig = .sgd(learningRate: 0.01, momentum: 0.9),
                mu: Float = 0, shuffle: TrainingOptions.Shuffle = .everyEpoch) {
        self.batchSize = batchSize; self.optimizer = optimizer; self.mu = mu; self.shuffle = shuffle
    }
}

/// When a federation stops before its last global round.
public struct StopCriteria: Sendable, Equatable {
    /// Stop once the global model's test accuracy reaches this fraction.
    public var accuracy: Double?
    /// Stop once the global model's test loss falls to this value.
    public var loss: Double?
    /// Never start a round whose transfers could take the cumulative cost past this budget.
    public var costBudget: Double?
    /// Stop once the simulated time reaches this many seconds.
    public var simulatedTime: Double?

    /// Creates stop criteria.
    public init(accuracy: Double? = nil, loss: Double? = nil, costBudget: Double? = nil, simulatedTime: Double? = nil) {
        self.accuracy = accuracy; self.loss = loss; self.costBudget = costBudget; self.simulatedTime = simulatedTime
    }

    /// Rejects criteria that can never be met.
    public func validate() throws {
        if let a = accuracy, !(a > 0 && a <= 1) { throw FederationError.impossibleTarget("target accuracy must be in (0, 1], found \(a)") }
        if let l = loss, !(l > 0 && l.isFinite) { throw FederationError.impossibleTarget("target loss must be positive, found \(l)") }
        if let b = costBudget, !(b > 0 && b.isFinite) { throw FederationError.impossibleTarget("cost budget must be positive, found \(b)") }
        if let t = simulatedTime, !(t > 0 && t.isFinite) { throw FederationError.impossibleTarget("time limit must be positive, found \(t)") }
    }
}

/// Everything a federated run needs besides the data and the initial model.
public struct FederationSettings: Sendable {
    /// Who federates with whom, rounds and aggregation rules.
    public var topology: Topology
    /// Client training.
    public var training: ClientTraining
    /// Early stop criteria.
    public var stop: StopCriteria
    /// Model size in MB for communication cost and time (default: parameters × 4 bytes / 10⁶).
    public var modelSizeMB: Double?
    /// Write a checkpoint every N global rounds (0: only at the end).
    public var checkpointEvery: Int
    /// Seed of failures and client shuffling.
    public var seed: UInt64
    /// Also evaluate every local aggregator's model on the test set each global round.
    public var evaluateAggregators: Bool
    /// Also measure every client's accuracy on its own training samples after it trained.
    public var evaluateClients: Bool = false
    /// Clients trained at once, each on one thread (1: one client at a time on all threads).
    public var clientParallelism: Int
    /// Threads for training and evaluation.
    public var threads: Int

    /// Creates settings.
    public init(topology: Topology, training: ClientTraining = ClientTraining(), stop: StopCriteria = StopCriteria(),
                modelSizeMB: Double? = nil, checkpointEvery: Int = 0, seed: UInt64 = 1, evaluateAggregators: Bool = false,
                clientParallelism: Int = 1, threads: Int = 1) {
        self.topology = topology; self.training = training; self.stop = stop; self.modelSizeMB = modelSizeMB
        self.checkpointEvery = checkpointEvery; self.seed = seed; self.evaluateAggregators = evaluateAggregators
        self.clientParallelism = clientParallelism; self.threads = threads
    }
}
