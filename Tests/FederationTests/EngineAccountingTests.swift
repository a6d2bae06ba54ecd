import Testing
@testable import Federation
import Learning

/// Communication cost, simulated time, stop criteria and checkpoint/resume.
@Suite("Federated engine: cost, time, stop, resume")
struct EngineAccountingTests {
    // MARK: Communication cost

    /// la1 (cost 2, L = 2): c1 0.5, c2 1, c3 0.25; la2 (cost 3, L = 1): c4 1.5, c5 0.75. Each LA has
    /// a client that never fails, so both LAs always send their model up.
    static let costTopology = Topology(
        global: .init(rounds: 6),
        aggregators: [.init(id: "la1", localRounds: 2, cost: 2), .init(id: "la2", localRounds: 1, cost: 3)],
        clients: [.init(id: "c1", parent: "la1", failureProbability: 0.3, cost: 0.5),
                  .init(id: "c2", parent: "la1", cost: 1),
                  .init(id: "c3", parent: "la1", failureProbability: 0.5, cost: 0.25),
                  .init(id: "c4", parent: "la2", failureProbability: 0.6, cost: 1.5),
                  .init(id: "c5", parent: "la2", cost: 0.75)])
    static let clientCost = ["c1": 0.5, "c2": 1, "c3": 0.25, "c4": 1.5, "c5": 0.75]

    @Test("hierarchical cost per round = size × (2·Σ LA cost + Σ_l Σ_clients (down for every asked + up for every success) × cost)")
    func hierarchicalCost() throws {
        let size = 0.5
        let parts = Fixture.partitions([40, 60, 50, 30, 70])
        let training = try FederatedTraining(settings: Fixture.settings(Self.costTopology, seed: 5, modelSizeMB: size),
                                             data: Fixture.data, partitions: parts, initialModel: Fixture.model())
        // All succeed: 0.5 × (2·(2 + 3) + 2 local rounds × 2·(0.5 + 1 + 0.25) + 1 × 2·(1.5 + 0.75)) = 0.5 × 21.5.
        #expect(abs(training.maximumRoundCost() - 10.75) < 1e-12)
        let run = try Fixture.run(Fixture.settings(Self.costTopology, seed: 5, modelSizeMB: size), partitions: parts)
        var total = 0.0, sawFailure = false
        for record in run.records.dropFirst() {
            // Who was asked and who succeeded, counted from the record.
            #expect(record.clients.filter { $0.parent == "la1" }.count == 6)
            #expect(record.clients.filter { $0.parent == "la2" }.count == 2)
            #expect(record.asked == 8 && record.succeeded == record.clients.filter { !$0.failed }.count)
            var expected = 2 * (2.0 + 3.0)
            for c in record.clients { expected += Self.clientCost[c.id]! * (c.failed ? 1 : 2) }
            expected *= size
            sawFailure = sawFailure || record.failed > 0
            #expect(abs(record.costRound - expected) < 1e-9, "round \(record.round): \(record.costRound) vs \(expected)")
            #expect(record.costRound <= 10.75 + 1e-12)
            total += expected
            #expect(abs(record.costTotal - total) < 1e-9)
        }
        #expect(sawFailure, "the seed should make some client fail, or the formula is only checked at its maximum")
        #expect(abs(run.outcome.costTotal - total) < 1e-9)
    }

    @Test("flat cost with no failures: size × Σ 2·cost per round")
    func flatCost() throws {
        let topology = Topology(global: .init(rounds: 3), clients: [.init(id: "c1", parent: "ga", cost: 1), .init(id: "c2", parent: "ga", cost: 2)])
        let run = try Fixture.run(Fixture.settings(topology, modelSizeMB: 0.25), partitions: Fixture.partitions([50, 50]))
        // 0.25 × (2·1 + 2·2) = 1.5 per round.
        #expect(run.records.dropFirst().map(\.costRound) == [1.5, 1.5, 1.5])
        #expect(run.records.dropFirst().map(\.costTotal) == [1.5, 3, 4.5])
        #expect(run.records[0].costRound == 0 && run.records[0].costTotal == 0)
    }

    @Test("default model size is parameters × 4 bytes")
    func defaultModelSize() throws {
        let training = try FederatedTraining(settings: Fixture.settings(Fixture.flat(1, rounds: 1)), data: Fixture.data,
                                             partitions: [Array(0..<10)], initialModel: Fixture.model())
        #expect(training.modelSizeMB == 239 * 4 / 1e6)
    }

    @Test("an LA whose clients all fail receives the model but sends nothing up")
    func silentClusterCost() throws {
        let topology = Topology(
            global: .init(rounds: 2),
            aggregators: [.init(id: "la1", cost: 2), .init(id: "la2", cost: 3)],
            clients: [.init(id: "c1", parent: "la1", cost: 1), .init(id: "c2", parent: "la2", failureProbability: 1, cost: 4)])
        let run = try Fixture.run(Fixture.settings(topology, modelSizeMB: 1), partitions: Fixture.partitions([50, 50]))
        // la1: 2 down + 2 up; c1: 1 down + 1 up; la2: 3 down only; c2: 4 down only.
        #expect(run.records.dropFirst().map(\.costRound) == [13, 13])
    }

    // MARK: Simulated time

    @Test("flat simulated round time = max over clients of (2·size/bandwidth + samples·epochs/speed)")
    func flatTime() throws {
        let topology = Topology(global: .init(rounds: 3), clients: [
            .init(id: "c1", parent: "ga", epochs: 2, speed: 100, bandwidth: 4),   // 2·2/4 + 40·2/100 = 1 + 0.8 = 1.8
            .init(id: "c2", parent: "ga", epochs: 1, speed: 50, bandwidth: 1),    // 2·2/1 + 60/50 = 4 + 1.2 = 5.2
            .init(id: "c3", parent: "ga", epochs: 3, speed: 200, bandwidth: 10),  // 2·2/10 + 80·3/200 = 0.4 + 1.2 = 1.6
        ])
        let run = try Fixture.run(Fixture.settings(topology, modelSizeMB: 2), partitions: Fixture.partitions([40, 60, 80]))
        for (i, record) in run.records.dropFirst().enumerated() {
            #expect(abs(record.simulatedRound - 5.2) < 1e-9)
            #expect(abs(record.simulatedTotal - 5.2 * Double(i + 1)) < 1e-9)
        }
        #expect(abs(run.outcome.simulatedTotal - 15.6) < 1e-9)
    }

    @Test("hierarchical simulated time: LA link both ways + the slowest client of each local round; max over LAs")
    func hierarchicalTime() throws {
        let topology = Topology(
            global: .init(rounds: 2),
            aggregators: [.init(id: "la1", localRounds: 2, bandwidth: 4), .init(id: "la2", localRounds: 1)],
            clients: [.init(id: "c1", parent: "la1", epochs: 2, speed: 100, bandwidth: 4),   // 1.8
                      .init(id: "c2", parent: "la1", epochs: 1, speed: 50, bandwidth: 1),    // 5.2
                      .init(id: "c3", parent: "la2", epochs: 3, speed: 200, bandwidth: 10)]) // 1.6
        let run = try Fixture.run(Fixture.settings(topology, modelSizeMB: 2), partitions: Fixture.partitions([40, 60, 80]))
        // la1: 2/4 down + 2 × 5.2 + 2/4 up = 11.4; la2: 1.6. The round takes 11.4.
        #expect(run.records.dropFirst().allSatisfy { abs($0.simulatedRound - 11.4) < 1e-9 })
    }

    @Test("without speeds and bandwidths simulated time is 0")
    func noTime() throws {
        let run = try Fixture.run(Fixture.settings(Fixture.flat(2, rounds: 2)), partitions: Fixture.partitions([50, 50]))
        #expect(run.records.allSatisfy { $0.simulatedRound == 0 && $0.simulatedTotal == 0 })
    }

    @Test("simulated-time limit stops with .time")
    func timeLimit() throws {
        let topology = Topology(global: .init(rounds: 10), clients: [.init(id: "c1", parent: "ga", speed: 10)])  // 50/10 = 5 s a round
        let run = try Fixture.run(Fixture.settings(topology, stop: StopCriteria(simulatedTime: 12)), partitions: Fixture.partitions([50]))
        #expect(run.outcome.reason == .time)
        #expect(run.outcome.rounds == 3)  // 5, 10, 15 ≥ 12
        #expect(abs(run.outcome.simulatedTotal - 15) < 1e-9)
    }

    // MARK: Stop criteria

    @Test("accuracy target stops early with .accuracy at the first round that reaches it")
    func accuracyTarget() throws {
        let target = 0.8
        let run = try Fixture.run(Fixture.settings(Fixture.flat(3, rounds: 40), stop: StopCriteria(accuracy: target)),
                                  partitions: Fixture.partitions([100, 100, 100]))
        #expect(run.outcome.reason == .accuracy)
        #expect(run.outcome.rounds < 40)
        #expect(run.records.count == run.outcome.rounds + 1)
        #expect(run.records.last!.accuracy >= target)
        #expect(run.records.dropFirst().dropLast().allSatisfy { $0.accuracy < target })
        #expect(run.outcome.accuracy == run.records.last!.accuracy)
        #expect(run.checkpoints.last?.round == run.outcome.rounds)
    }

    @Test("loss target stops early with .loss")
    func lossTarget() throws {
        let probe = try Fixture.run(Fixture.settings(Fixture.flat(3, rounds: 1)), partitions: Fixture.partitions([100, 100, 100]))
        let target = probe.records[0].loss * 0.9  // below the initial loss: needs training
        let run = try Fixture.run(Fixture.settings(Fixture.flat(3, rounds: 40), stop: StopCriteria(loss: target)),
                                  partitions: Fixture.partitions([100, 100, 100]))
        #expect(run.outcome.reason == .loss)
        #expect(run.outcome.rounds < 40)
        #expect(run.records.last!.loss <= target)
        #expect(run.records.dropFirst().dropLast().allSatisfy { $0.loss > target })
    }

    /// Three clients of cost 1 and a 0.5 MB model: every round costs 0.5 × 2 × 3 = 3.
    static let budgetTopology = Topology(global: .init(rounds: 10), clients: (1...3).map { Topology.Client(id: "c\($0)", parent: "ga", cost: 1) })

    @Test("a budget allowing exactly 2 rounds stops with .budget after 2 and is never exceeded", arguments: [6.0, 7.5, 8.99])
    func budget(limit: Double) throws {
        let run = try Fixture.run(Fixture.settings(Self.budgetTopology, stop: StopCriteria(costBudget: limit), modelSizeMB: 0.5),
                                  partitions: Fixture.partitions([50, 50, 50]))
        #expect(run.outcome.reason == .budget)
        #expect(run.outcome.rounds == 2)
        #expect(run.records.count == 3)
        #expect(run.outcome.costTotal == 6)
        #expect(run.records.allSatisfy { $0.costTotal <= limit })
    }

    @Test("a budget below one round's maximum is impossible at init")
    func budgetTooSmall() throws {
        #expect(throws: FederationError.self) {
            _ = try FederatedTraining(settings: Fixture.settings(Self.budgetTopology, stop: StopCriteria(costBudget: 2.9), modelSizeMB: 0.5),
                                      data: Fixture.data, partitions: Fixture.partitions([50, 50, 50]), initialModel: Fixture.model())
        }
        do {
            _ = try FederatedTraining(settings: Fixture.settings(Self.budgetTopology, stop: StopCriteria(costBudget: 2.9), modelSizeMB: 0.5),
                                      data: Fixture.data, partitions: Fixture.partitions([50, 50, 50]), initialModel: Fixture.model())
        } catch let FederationError.impossibleTarget(message) {
            #expect(message.contains("budget"))
        } catch {
            Issue.record("expected .impossibleTarget, got \(error)")
        }
    }

    static let invalidStops: [StopCriteria] = [
        StopCriteria(accuracy: 1.5), StopCriteria(accuracy: 0), StopCriteria(accuracy: -0.2), StopCriteria(accuracy: .nan),
        StopCriteria(loss: -1), StopCriteria(loss: 0), StopCriteria(loss: .nan), StopCriteria(loss: .infinity),
        StopCriteria(costBudget: 0), StopCriteria(costBudget: -5), StopCriteria(simulatedTime: 0), StopCriteria(simulatedTime: -1),
    ]

    @Test("malformed targets throw .impossibleTarget", arguments: invalidStops)
    func invalidTargets(stop: StopCriteria) throws {
        do {
            _ = try FederatedTraining(settings: Fixture.settings(Fixture.flat(2, rounds: 2), stop: stop), data: Fixture.data,
                                      partitions: Fixture.partitions([50, 50]), initialModel: Fixture.model())
            Issue.record("\(stop) was accepted")
        } catch let error as FederationError {
            guard case .impossibleTarget = error else { Issue.record("expected .impossibleTarget, got \(error)"); return }
        }
    }

    // MARK: Checkpoints and resume

    @Test("checkpoints every N rounds and at the end, never twice for one round")
    func checkpointSchedule() throws {
        let parts = Fixture.partitions([50, 50])
        let every1 = try Fixture.run(Fixture.settings(Fixture.flat(2, rounds: 4), checkpointEvery: 1), partitions: parts)
        #expect(every1.checkpoints.map(\.round) == [1, 2, 3, 4])
        let every2 = try Fixture.run(Fixture.settings(Fixture.flat(2, rounds: 5), checkpointEvery: 2), partitions: parts)
        #expect(every2.checkpoints.map(\.round) == [2, 4, 5])
        let never = try Fixture.run(Fixture.settings(Fixture.flat(2, rounds: 3)), partitions: parts)
        #expect(never.checkpoints.map(\.round) == [3])
        // Each checkpoint holds the global model after its round.
        for c in every1.checkpoints { #expect(c.parameters == every1.parameters[c.round]) }
    }

    /// GA FedAvgM and la2 FedYogi (both stateful), an unreliable client, costs and speeds.
    static let resumeTopology = Topology(
        global: .init(rounds: 4, aggregation: .fedAvgM(serverLearningRate: 1, momentum: 0.9)),
        aggregators: [.init(id: "la1", localRounds: 2, cost: 1, bandwidth: 5),
                      .init(id: "la2", localRounds: 1, aggregation: .fedYogi(eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3), cost: 2)],
        clients: [.init(id: "c1", parent: "la1", cost: 0.5, speed: 100),
                  .init(id: "c2", parent: "la1", failureProbability: 0.4, cost: 0.5, speed: 50, bandwidth: 2),
                  .init(id: "c3", parent: "la2", cost: 1, speed: 80),
                  .init(id: "c4", parent: "la2", failureProbability: 0.3, cost: 1)])

    @Test("resume from the round-2 checkpoint reproduces rounds 3-4 and the final model exactly")
    func resume() throws {
        let parts = Fixture.partitions([60, 40, 50, 70])
        let settings = Fixture.settings(Self.resumeTopology, seed: 12, modelSizeMB: 0.1, checkpointEvery: 1)
        let full = try Fixture.run(settings, partitions: parts)
        #expect(full.checkpoints.map(\.round) == [1, 2, 3, 4])
        let c2 = full.checkpoints[1]
        #expect(c2.round == 2)
        #expect(c2.aggregatorStates["ga"]?["velocity"]?.isEmpty == false, "the GA's momentum must be in the checkpoint")
        #expect(c2.aggregatorStates["la2"]?["m"]?.isEmpty == false, "la2's Yogi moments must be in the checkpoint")

        // A fresh engine with a different initial model: everything must come from the checkpoint.
        let resumed = try Fixture.run(settings, partitions: parts, initialModel: Fixture.model(seed: 999), resumingFrom: c2)
        #expect(resumed.records.map(\.round) == [3, 4])
        for (a, b) in zip(full.records[3...4], resumed.records) {
            #expect(a.accuracy == b.accuracy)
            #expect(a.loss == b.loss)
            #expect(a.costRound == b.costRound)
            #expect(a.costTotal == b.costTotal)
            #expect(a.simulatedTotal == b.simulatedTotal)
            #expect(a.clients.map(\.failed) == b.clients.map(\.failed))
        }
        #expect(resumed.final == full.final)
        #expect(resumed.outcome.rounds == 4)
        #expect(resumed.outcome.costTotal == full.outcome.costTotal)
        #expect(resumed.checkpoints.map(\.round) == [3, 4])

        // Control: the same checkpoint without the aggregator states continues differently.
        var stateless = c2
        stateless.aggregatorStates = [:]
        let broken = try Fixture.run(settings, partitions: parts, resumingFrom: stateless)
        #expect(broken.final != full.final)
    }

    @Test("resume from a checkpoint of another model size is rejected")
    func resumeMismatch() throws {
        let training = try FederatedTraining(settings: Fixture.settings(Fixture.flat(2, rounds: 2)), data: Fixture.data,
                                             partitions: Fixture.partitions([50, 50]), initialModel: Fixture.model())
        let bad = FederationCheckpoint(round: 1, parameters: [1, 2, 3], aggregatorStates: [:], costTotal: 0, simulatedTotal: 0)
        do {
            try training.run(resumingFrom: bad)
            Issue.record("a 3-parameter checkpoint was accepted")
        } catch let error as FederationError {
            guard case .invalidCheckpoint = error else { Issue.record("expected .invalidCheckpoint, got \(error)"); return }
        }
    }
}
