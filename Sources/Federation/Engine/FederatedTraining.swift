import Foundation
import Learning

/// Runs flat or hierarchical federated learning (the seed's learning pipeline) in one process.
///
/// One global round: the global model goes down to every local aggregator; each runs its local
/// rounds (its clients train E epochs from the aggregator's model, the aggregator combines what
/// arrived); the aggregators' models go up weighted by W_ℓ = Σ n_k of their last successful local
/// round; the global aggregator combines them and the new global model is evaluated. Flat runs
/// are the same with the global aggregator as the clients' only aggregator and one local round.
/// See ../shared/specs/federated-learning.md §1-3 for the semantics this follows.
///
/// Memory stays at a few model copies whatever the client count: updates are streamed into
/// float64 accumulators unless a rule (median, Krum) or a weighting hook needs them all.
public final class FederatedTraining {
    /// The settings (topology validated and sorted).
    public let settings: FederationSettings
    private let data: DataSplit
    private let partitions: [[Int]]
    private let architecture: ResolvedModel
    private var current: Model
    /// The global model's parameters.
    private var global: [Float] {
        get { current.parameters }
        set { current.parameters = newValue }
    }
    private let trainers: [Trainer]
    private let evaluator: Trainer
    private let failures: FailureModel
    private let modelSize: Double
    /// Aggregators by node id: the global one and one per local aggregator.
    private var aggregators: [String: ModelAggregator] = [:]
    /// Optional per-update weighting, e.g. a Lua plugin: `nil` rejects an update.
    public var weighting: ((_ round: Int, _ aggregator: String, _ updates: [UpdateInfo]) throws -> [Double?])?

    /// Prepares a run: `partitions[i]` are the training-sample indices of client `i` in the
    /// topology's client order (natural id order).
    public init(settings: FederationSettings, data: DataSplit, partitions: [[Int]], initialModel: Model) throws {
        var s = settings
        s.topology = try settings.topology.validated()
        try s.stop.validate()
        try s.topology.global.aggregation.validate()
        for a in s.topology.aggregators { try a.aggregation.validate() }
        guard partitions.count == s.topology.clients.count else {
            throw FederationError.invalidConfiguration("\(partitions.count) partitions for \(s.topology.clients.count) clients")
        }
        for (i, p) in partitions.enumerated() {
            guard !p.isEmpty else { throw FederationError.invalidConfiguration("client \(s.topology.clients[i].id) has no training samples") }
            guard p.allSatisfy({ $0 >= 0 && $0 < data.train.count }) else {
                throw FederationError.invalidConfiguration("client \(s.topology.clients[i].id) has sample indices outside the training set")
            }
        }
        guard s.training.batchSize >= 1, s.clientParallelism >= 1, s.threads >= 1, s.checkpointEvery >= 0 else {
            throw FederationError.invalidConfiguration("batch size, client parallelism, threads must be positive and checkpoint interval non-negative")
        }
        try s.training.optimizer.validate()
        if let m = s.modelSizeMB, !(m > 0) { throw FederationError.invalidConfiguration("model size must be positive, found \(m) MB") }
        let trainer = Trainer(architecture: initialModel.architecture, threads: s.threads)
        try trainer.checkCompatible(data.train)
        self.settings = s
        self.data = data
        self.partitions = partitions
        self.architecture = initialModel.architecture
        self.current = initialModel
        if s.clientParallelism > 1 {
            trainers = (0..<s.clientParallelism).map { _ in Trainer(architecture: initialModel.architecture, threads: 1) }
        } else {
            trainers = [trainer]
        }
        evaluator = trainer
        failures = FailureModel(seed: s.seed)
        modelSize = s.modelSizeMB ?? Double(initialModel.parameterCount) * 4 / 1e6
        let count = initialModel.parameterCount
        aggregators[s.topology.global.id] = s.topology.global.aggregation.make(parameterCount: count)
        for a in s.topology.aggregators { aggregators[a.id] = a.aggregation.make(parameterCount: count) }
        if let budget = s.stop.costBudget, maximumRoundCost() > budget {
            throw FederationError.impossibleTarget("one global round can cost up to \(maximumRoundCost()), more than the budget \(budget)")
        }
    }

    /// The model size used for costs and transfer times, in MB.
    public var modelSizeMB: Double { modelSize }

    /// The current global model.
    public var model: Model { current }

    /// Groups of (aggregator id, local rounds, child client indices): one group per LA, or the
    /// global aggregator's own when flat.
    private var groups: [(id: String, localRounds: Int, clients: [Int], cost: Double, bandwidth: Double?)] {
        let t = settings.topology
        if !t.isHierarchical { return [(t.global.id, 1, Array(t.clients.indices), 0, nil)] }
        return t.aggregators.map { ($0.id, $0.localRounds, t.children(of: $0.id), $0.cost, $0.bandwidth) }
    }

    /// Cost of a round in which every client succeeds: the most a round can cost.
    public func maximumRoundCost() -> Double {
        groups.reduce(0) { total, g in
            let clientCost = g.clients.reduce(0) { $0 + 2 * settings.topology.clients[$1].cost }
            return total + modelSize * (2 * g.cost + Double(g.localRounds) * clientCost)
        }
    }

    /// Runs rounds until a stop criterion holds; from `checkpoint` when resuming.
    @discardableResult
    public func run(resumingFrom checkpoint: FederationCheckpoint? = nil, observer: FederationObserver? = nil) throws -> FederationOutcome {
        var costTotal = 0.0, simulatedTotal = 0.0, startRound = 1
        var last = (accuracy: Double.nan, loss: Double.nan)
        if let c = checkpoint {
            guard c.parameters.count == global.count else {
                throw FederationError.invalidCheckpoint("the checkpoint has \(c.parameters.count) parameters, the model \(global.count)")
            }
            global = c.parameters
            for (id, state) in c.aggregatorStates {
                guard let aggregator = aggregators[id] else {
                    throw FederationError.invalidCheckpoint("the checkpoint has state for '\(id)', which is not an aggregator of this topology")
                }
                for (key, values) in state where !values.isEmpty && values.count != global.count && key != "t" {
                    throw FederationError.invalidCheckpoint("state '\(key)' of \(id) has \(values.count) values, the model \(global.count)")
                }
                try aggregator.restore(state)
            }
            costTotal = c.costTotal; simulatedTotal = c.simulatedTotal; startRound = c.round + 1
            let e = try evaluator.evaluate(model, data: data.test)
            last = (e.accuracy, e.meanLoss)
        } else {
            let e = try evaluator.evaluate(model, data: data.test)
            last = (e.accuracy, e.meanLoss)
            try observer?.roundFinished(RoundRecord(round: 0, accuracy: e.accuracy, loss: e.meanLoss, costRound: 0, costTotal: 0,
                                                    simulatedRound: 0, simulatedTotal: 0, wallRound: 0, asked: 0, succeeded: 0,
                                                    failed: 0, aggregators: [], clients: []))
        }
        let rounds = settings.topology.global.rounds
        var reason = StopReason.rounds
        var round = startRound - 1
        // A model that already meets a target (the initial one, or a resumed one) is not trained.
        if let r = stopReason(accuracy: last.accuracy, loss: last.loss, simulated: simulatedTotal) {
            reason = r
            if checkpoint == nil { try observer?.checkpoint(makeCheckpoint(round, costTotal, simulatedTotal)) }
            return outcome()
        }
        while round < rounds {
            if let budget = settings.stop.costBudget, costTotal + maximumRoundCost() > budget { reason = .budget; break }
            round += 1
            let started = DispatchTime.now().uptimeNanoseconds
            var record = try runRound(round)
            let e = try evaluator.evaluate(model, data: data.test)
            costTotal += record.costRound
            simulatedTotal += record.simulatedRound
            record.accuracy = e.accuracy; record.loss = e.meanLoss
            record.costTotal = costTotal; record.simulatedTotal = simulatedTotal
            record.wallRound = Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9
            last = (e.accuracy, e.meanLoss)
            try observer?.roundFinished(record)
            let stop = stopReason(accuracy: e.accuracy, loss: e.meanLoss, simulated: simulatedTotal)
            if settings.checkpointEvery > 0 && round % settings.checkpointEvery == 0 && round < rounds && stop == nil {
                try observer?.checkpoint(makeCheckpoint(round, costTotal, simulatedTotal))
            }
            if let stop { reason = stop; break }
        }
        try observer?.checkpoint(makeCheckpoint(round, costTotal, simulatedTotal))
        return outcome()

        func outcome() -> FederationOutcome {
            FederationOutcome(rounds: round, accuracy: last.accuracy, loss: last.loss, costTotal: costTotal,
                              simulatedTotal: simulatedTotal, reason: reason)
        }
    }

    private func stopReason(accuracy: Double, loss: Double, simulated: Double) -> StopReason? {
        let s = settings.stop
        if let a = s.accuracy, accuracy >= a { return .accuracy }
        if let l = s.loss, loss <= l { return .loss }
        if let t = s.simulatedTime, simulated >= t { return .time }
        return nil
    }

    private func makeCheckpoint(_ round: Int, _ cost: Double, _ time: Double) -> FederationCheckpoint {
        FederationCheckpoint(round: round, parameters: global, aggregatorStates: aggregators.mapValues(\.state),
                             costTotal: cost, simulatedTotal: time)
    }

    /// One global round; fills everything but the evaluation and totals.
    private func runRound(_ round: Int) throws -> RoundRecord {
        let t = settings.topology
        var record = RoundRecord(round: round, accuracy: .nan, loss: .nan, costRound: 0, costTotal: 0, simulatedRound: 0,
                                 simulatedTotal: 0, wallRound: 0, asked: 0, succeeded: 0, failed: 0, aggregators: [], clients: [])
        let globalAggregator = aggregators[t.global.id]!
        if t.isHierarchical { globalAggregator.begin(current: global) }
        var longest = 0.0
        for group in groups {
            // The global model flows down to the aggregator (and its clients start from it).
            var local = global
            var weight = 0.0
            var time = 0.0
            if t.isHierarchical {
                record.costRound += modelSize * group.cost
                time += transfer(group.bandwidth)
            }
            let aggregator = aggregators[group.id]!
            for l in 1...group.localRounds {
                aggregator.begin(current: local)
                let (summary, roundWeight, roundTime, roundCost) = try localRound(round: round, localRound: l, group: group,
                                                                                  start: local, into: aggregator, record: &record)
                record.costRound += roundCost
                record.asked += summary.asked; record.succeeded += summary.succeeded; record.failed += summary.failed
                time += roundTime
                if let next = aggregator.finish() {
                    local = next
                    weight = roundWeight
                }
                record.aggregators.append(summary)
            }
            if t.isHierarchical {
                if settings.evaluateAggregators, let m = try? Model(architecture: architecture, parameters: local) {
                    let e = try evaluator.evaluate(m, data: data.test)
                    record.aggregators[record.aggregators.count - 1].accuracy = e.accuracy
                    record.aggregators[record.aggregators.count - 1].loss = e.meanLoss
                }
                if weight > 0 {
                    local.withUnsafeBufferPointer { globalAggregator.add($0, weight: weight) }
                    record.costRound += modelSize * group.cost
                    time += transfer(group.bandwidth)
                }
            } else {
                global = local
            }
            longest = max(longest, time)
        }
        if t.isHierarchical, let next = globalAggregator.finish() { global = next }
        record.simulatedRound = longest
        return record
    }

    private func transfer(_ bandwidth: Double?) -> Double { bandwidth.map { modelSize / $0 } ?? 0 }

    /// One local round of one aggregator: asks its clients, trains the ones that do not fail and
    /// adds their updates. Returns the summary, Σ n_k aggregated, the round's simulated time and cost.
    private func localRound(round: Int, localRound l: Int, group: (id: String, localRounds: Int, clients: [Int], cost: Double, bandwidth: Double?),
                            start: [Float], into aggregator: ModelAggregator,
                            record: inout RoundRecord) throws -> (RoundRecord.AggregatorRound, Double, Double, Double) {
        let clients = settings.topology.clients
        var summary = RoundRecord.AggregatorRound(id: group.id, localRound: l, asked: group.clients.count, succeeded: 0, failed: 0,
                                                  weight: 0, accuracy: nil, loss: nil)
        var cost = 0.0, time = 0.0
        var working: [Int] = []
        for k in group.clients {
            cost += modelSize * clients[k].cost  // the model goes down to every client asked
            if failures.fails(client: clients[k].id, probability: clients[k].failureProbability, round: round, localRound: l) {
                summary.failed += 1
                time = max(time, transfer(clients[k].bandwidth))
                record.clients.append(.init(id: clients[k].id, parent: group.id, localRound: l, samples: partitions[k].count,
                                            trainLoss: .nan, failed: true, weight: 0))
            } else {
                working.append(k)
            }
        }
        // Train the working clients, `clientParallelism` at a time; add their updates in client order.
        var pending: [(k: Int, parameters: [Float], loss: Double, localAccuracy: Double?)] = []
        var batchStart = 0
        while batchStart < working.count {
            let batch = Array(working[batchStart..<min(working.count, batchStart + trainers.count)])
            // Each iteration writes only its own slot, through a raw pointer (no shared array).
            let slots = UnsafeMutablePointer<(parameters: [Float], loss: Double, localAccuracy: Double?)?>.allocate(capacity: batch.count)
            slots.initialize(repeating: nil, count: batch.count)
            defer { slots.deinitialize(count: batch.count); slots.deallocate() }
            let target = UncheckedPointer(slots)
            let this = self
            parallelFor(batch.count) { j in
                target.pointer[j] = this.trainClient(batch[j], from: start, round: round, localRound: l, trainer: this.trainers[j])
            }
            let results = Array(UnsafeBufferPointer(start: slots, count: batch.count))
            for (j, k) in batch.enumerated() {
                guard let r = results[j] else {
                    throw FederationError.invalidConfiguration("client \(clients[k].id) could not start from the model (parameter count mismatch)")
                }
                if weighting != nil { pending.append((k, r.parameters, r.loss, r.localAccuracy)); continue }
                let w = Double(partitions[k].count)
                r.parameters.withUnsafeBufferPointer { aggregator.add($0, weight: w) }
                note(k, r.loss, w, r.localAccuracy)
            }
            batchStart += batch.count
        }
        if let weighting, !pending.isEmpty {
            let infos = pending.map { p in
                UpdateInfo(client: clients[p.k].id, samples: partitions[p.k].count, trainLoss: p.loss, distance: Self.distance(p.parameters, start))
            }
            let weights = try weighting(round, group.id, infos)
            guard weights.count == pending.count else {
                throw FederationError.invalidConfiguration("the update weighting returned \(weights.count) weights for \(pending.count) updates")
            }
            for (p, w) in zip(pending, weights) {
                let weight = max(0, w ?? 0)
                if weight > 0 { p.parameters.withUnsafeBufferPointer { aggregator.add($0, weight: weight) } }
                note(p.k, p.loss, weight, p.localAccuracy)
            }
        }
        return (summary, summary.weight, time, cost)

        func note(_ k: Int, _ loss: Double, _ weight: Double, _ localAccuracy: Double?) {
            summary.succeeded += 1
            summary.weight += weight
            cost += modelSize * clients[k].cost
            let compute = clients[k].speed.map { Double(partitions[k].count * clients[k].epochs) / $0 } ?? 0
            time = max(time, 2 * transfer(clients[k].bandwidth) + compute)
            record.clients.append(.init(id: clients[k].id, parent: group.id, localRound: l, samples: partitions[k].count,
                                        trainLoss: loss, failed: false, weight: weight, localAccuracy: localAccuracy))
        }
    }

    /// Trains client `k` from `start` for its epochs, with a fresh optimiser and a shuffle
    /// stream seeded by (seed, client, round, local round).
    private func trainClient(_ k: Int, from start: [Float], round: Int, localRound: Int, trainer: Trainer) -> (parameters: [Float], loss: Double, localAccuracy: Double?)? {
        guard var model = try? Model(architecture: architecture, parameters: start) else { return nil }
        let client = settings.topology.clients[k]
        let training = settings.training
        var order = partitions[k]
        var rng = SeededGenerator(seed: settings.seed, label: "shuffle/\(client.id)/\(round)/\(localRound)")
        let optimizer = training.optimizer.make(parameterCount: model.parameterCount)
        trainer.proximal = training.mu > 0 ? (training.mu, start) : nil
        var loss = Double.nan
        for epoch in 0..<client.epochs {
            if training.shuffle == .everyEpoch || (training.shuffle == .once && epoch == 0) { rng.shuffle(&order) }
            loss = trainer.trainEpoch(&model, data: data.train, order: order, batchSize: training.batchSize, optimizer: optimizer).meanLoss
        }
        trainer.proximal = nil
        let local = settings.evaluateClients ? (try? trainer.evaluate(model, data: data.train, indices: partitions[k]))?.accuracy : nil
        return (model.parameters, loss, local)
    }

    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { let d = Double(a[i] - b[i]); s += d * d }
        return s.squareRoot()
    }
}

