import Learning
import Testing
@testable import Federation

@Suite("Federated engine: edges")
struct EngineEdgeTests {
    @Test("a checkpoint whose state does not fit the topology or the model is refused")
    func mismatchedCheckpoint() throws {
        let parts = Fixture.partitions([60, 60])
        let settings = Fixture.settings(Fixture.flat(2, rounds: 3, aggregation: .fedAvgM(serverLearningRate: 1, momentum: 0.9)), checkpointEvery: 1)
        let run = try Fixture.run(settings, partitions: parts)
        var good = try #require(run.checkpoints.first)
        #expect(throws: Never.self) { _ = try Fixture.run(settings, partitions: parts, resumingFrom: good) }
        var foreign = good
        foreign.aggregatorStates["la9"] = ["velocity": good.parameters]
        #expect(throws: FederationError.self) { _ = try Fixture.run(settings, partitions: parts, resumingFrom: foreign) }
        good.aggregatorStates["ga"] = ["velocity": [1, 2, 3]]
        #expect(throws: FederationError.self) { _ = try Fixture.run(settings, partitions: parts, resumingFrom: good) }
    }

    @Test("a model that already meets the target is not trained")
    func alreadyGoodEnough() throws {
        let run = try Fixture.run(Fixture.settings(Fixture.flat(2, rounds: 3), stop: StopCriteria(loss: 100)),
                                  partitions: Fixture.partitions([60, 60]))
        #expect(run.outcome.rounds == 0)
        #expect(run.outcome.reason == .loss)
        #expect(run.records.count == 1)
        #expect(run.final == (try Fixture.model()).parameters)
    }

    @Test("Multi-Krum averages the chosen updates weighted by their example counts")
    func multiKrumWeighted() throws {
        let agg = AggregationConfig.krum(byzantine: 0, select: 2).make(parameterCount: 1)
        // Three close updates and one far outlier: Multi-Krum keeps the two with the lowest scores.
        let result = try #require(aggregate(agg, current: [0], [([1.0], 3), ([1.2], 1), ([1.1], 1), ([50], 1)]))
        // Scores (n − f − 2 = 2 nearest): 1.1 → 0.01 + 0.01 = 0.02; 1.0 → 0.01 + 0.04 = 0.05;
        // 1.2 → 0.01 + 0.04 = 0.05 (tie with 1.0, lower index wins). Chosen: 1.1 (w 1) and 1.0 (w 3).
        #expect(abs(Double(result[0]) - (1.1 * 1 + 1.0 * 3) / 4) < 1e-6)
    }
}
