import Testing
@testable import Federation
import Learning

/// The per-update weighting hook and FedProx.
@Suite("Federated engine: weighting hook and FedProx")
struct EngineHookTests {
    static let sizes = [40, 60, 50, 30]
    static let parts = Fixture.partitions(sizes)

    /// Collects what the hook was shown (non-Sendable state, used on the test's own thread).
    final class Log {
        var calls: [(round: Int, aggregator: String, updates: [UpdateInfo])] = []
    }

    @Test("a hook returning n_k is exactly FedAvg, and sees samples, rounds and aggregator ids")
    func sampleWeightsAreFedAvg() throws {
        let log = Log()
        let topology = Fixture.hierarchical([2, 2], rounds: 2, localRounds: 2)
        let plain = try Fixture.run(Fixture.settings(topology), partitions: Self.parts)
        let hooked = try Fixture.run(Fixture.settings(topology), partitions: Self.parts) { round, aggregator, updates in
            log.calls.append((round, aggregator, updates))
            return updates.map { Double($0.samples) }
        }
        #expect(hooked.final == plain.final)
        #expect(hooked.records.map(\.accuracy) == plain.records.map(\.accuracy))
        // One call per aggregator and local round, in order.
        #expect(log.calls.map(\.round) == [1, 1, 1, 1, 2, 2, 2, 2])
        #expect(log.calls.map(\.aggregator) == ["la1", "la1", "la2", "la2", "la1", "la1", "la2", "la2"])
        for call in log.calls {
            let expected = call.aggregator == "la1" ? [("c1", 40), ("c2", 60)] : [("c3", 50), ("c4", 30)]
            #expect(call.updates.map(\.client) == expected.map(\.0))
            #expect(call.updates.map(\.samples) == expected.map(\.1))
            #expect(call.updates.allSatisfy { $0.distance > 0 && $0.trainLoss.isFinite })
        }
    }

    @Test("rejecting a client (nil) gives it weight 0, and equals a run without that client")
    func rejectClient() throws {
        let rejected = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 3)), partitions: Self.parts) { _, _, updates in
            updates.map { $0.client == "c2" ? nil : Double($0.samples) }
        }
        for record in rejected.records.dropFirst() {
            let c2 = try #require(record.clients.first { $0.id == "c2" })
            #expect(c2.weight == 0 && !c2.failed)
            #expect(record.clients.filter { $0.id != "c2" }.allSatisfy { $0.weight == Double($0.samples) })
            #expect(record.aggregators.first?.weight == 120)
        }
        let without = Topology(global: .init(rounds: 3), clients: ["c1", "c3", "c4"].map { Topology.Client(id: $0, parent: "ga") })
        let reference = try Fixture.run(Fixture.settings(without), partitions: [Self.parts[0], Self.parts[2], Self.parts[3]])
        #expect(rejected.parameters == reference.parameters)
    }

    @Test("custom weights change the global model relative to FedAvg; rejecting all keeps it")
    func customWeights() throws {
        let fedAvg = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 1)), partitions: Self.parts)
        let uniform = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 1)), partitions: Self.parts) { _, _, u in u.map { _ in 1 } }
        #expect(maxAbsDiff(uniform.final, fedAvg.final) > 1e-6)
        #expect(uniform.records[1].clients.allSatisfy { $0.weight == 1 })
        // Only c1 counts: the global model is c1's update, which differs from the mean.
        let onlyC1 = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 1)), partitions: Self.parts) { _, _, u in
            u.map { $0.client == "c1" ? 5 : 0 }
        }
        let c1Alone = try Fixture.run(Fixture.settings(Topology(global: .init(rounds: 1), clients: [.init(id: "c1", parent: "ga")])),
                                      partitions: [Self.parts[0]])
        #expect(onlyC1.final == c1Alone.final)
        let none = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 2)), partitions: Self.parts) { _, _, u in u.map { _ in nil } }
        #expect(none.parameters.allSatisfy { $0 == none.parameters[0] })
    }

    @Test("a hook returning the wrong number of weights is an error")
    func wrongCount() throws {
        #expect(throws: FederationError.self) {
            _ = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 1)), partitions: Self.parts) { _, _, u in [1] }
        }
    }

    /// Mean distance of the client updates from their start, per μ (one round, 3 epochs).
    func meanDistance(mu: Float) throws -> (distance: Double, final: [Float]) {
        let log = Log()
        let topology = Topology(global: .init(rounds: 1), clients: (1...4).map { Topology.Client(id: "c\($0)", parent: "ga", epochs: 3) })
        var training = Fixture.training
        training.mu = mu
        let run = try Fixture.run(Fixture.settings(topology, training: training), partitions: Self.parts) { round, aggregator, updates in
            log.calls.append((round, aggregator, updates))
            return updates.map { Double($0.samples) }
        }
        let distances = log.calls.flatMap(\.updates).map(\.distance)
        #expect(distances.count == 4)
        return (distances.reduce(0, +) / Double(distances.count), run.final)
    }

    @Test("FedProx: μ > 0 changes the result and keeps the clients closer to the model they started from")
    func fedProx() throws {
        let plain = try meanDistance(mu: 0)
        let mild = try meanDistance(mu: 1)
        let strong = try meanDistance(mu: 10)
        #expect(plain.final != mild.final)
        #expect(mild.distance < plain.distance, "\(mild.distance) vs \(plain.distance)")
        #expect(strong.distance < mild.distance, "\(strong.distance) vs \(mild.distance)")
        #expect(strong.distance < 0.8 * plain.distance)
    }
}
