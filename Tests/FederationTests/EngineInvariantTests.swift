import Testing
@testable import Federation
import Learning

/// Engine invariants on the tiny task (threads: 1): hierarchy vs flat, determinism, failures,
/// client parallelism.
@Suite("Federated engine: invariants")
struct EngineInvariantTests {
    static let sizes = [40, 60, 50, 30, 70, 50]
    static let parts = Fixture.partitions(sizes)

    func expectSameCurves(_ a: Fixture.Run, _ b: Fixture.Run, accuracy: Double = 1e-6, loss: Double = 1e-5,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.records.count == b.records.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a.records, b.records) {
            #expect(x.round == y.round, sourceLocation: sourceLocation)
            #expect(abs(x.accuracy - y.accuracy) <= accuracy, "round \(x.round): accuracy \(x.accuracy) vs \(y.accuracy)", sourceLocation: sourceLocation)
            #expect(abs(x.loss - y.loss) <= loss * max(1, abs(x.loss)), "round \(x.round): loss \(x.loss) vs \(y.loss)", sourceLocation: sourceLocation)
        }
    }

    @Test("required invariant: hierarchical with L = 1 and FedAvg equals flat FedAvg over the same clients")
    func hierarchicalL1EqualsFlat() throws {
        let flat = try Fixture.run(Fixture.settings(Fixture.flat(6, rounds: 4)), partitions: Self.parts)
        let hier = try Fixture.run(Fixture.settings(Fixture.hierarchical([2, 4], rounds: 4)), partitions: Self.parts)
        #expect(flat.records.count == 5)
        expectSameCurves(flat, hier)
        // Only the summation order differs: a weighted mean of weighted means.
        for r in 1...4 {
            #expect(maxAbsDiff(flat.parameters[r], hier.parameters[r]) < 1e-6, "round \(r): \(maxAbsDiff(flat.parameters[r], hier.parameters[r]))")
        }
        #expect(maxAbsDiff(flat.final, hier.final) < 1e-6)
        // The model did move (the comparison is not between two untouched initial models).
        #expect(maxAbsDiff(flat.final, flat.parameters[0]) > 1e-2)
        #expect(flat.records.last!.accuracy > flat.records[0].accuracy)
    }

    @Test("the invariant holds with unreliable clients too (same draws, renormalised means)")
    func hierarchicalL1EqualsFlatWithFailures() throws {
        let p = [0.4, 0, 0.5, 0.5, 0.3, 0.6]
        let flat = try Fixture.run(Fixture.settings(Fixture.flat(6, rounds: 5, failure: p), seed: 3), partitions: Self.parts)
        let hier = try Fixture.run(Fixture.settings(Fixture.hierarchical([3, 3], rounds: 5, failure: p), seed: 3), partitions: Self.parts)
        expectSameCurves(flat, hier)
        #expect(maxAbsDiff(flat.final, hier.final) < 1e-6)
        #expect(flat.records.map(\.failed) == hier.records.map(\.failed))
        #expect(flat.records.dropFirst().contains { $0.failed > 0 }, "the seed should produce some failures")
    }

    @Test("L > 1 is not the same as flat (control for the invariant)")
    func hierarchicalL2DiffersFromFlat() throws {
        let flat = try Fixture.run(Fixture.settings(Fixture.flat(6, rounds: 2)), partitions: Self.parts)
        let hier = try Fixture.run(Fixture.settings(Fixture.hierarchical([3, 3], rounds: 2, localRounds: 2)), partitions: Self.parts)
        #expect(maxAbsDiff(flat.final, hier.final) > 1e-4)
        // L = 2: every client is asked twice per global round.
        #expect(hier.records[1].asked == 12)
        #expect(hier.records[1].aggregators.map(\.localRound) == [1, 2, 1, 2])
    }

    @Test("same seed twice is bit-identical; another seed differs")
    func determinism() throws {
        let topology = Fixture.hierarchical([3, 3], rounds: 3, localRounds: 2,
                                            globalAggregation: .fedAvgM(serverLearningRate: 1, momentum: 0.5),
                                            failure: [0.3, 0, 0.5, 0.2, 0, 0.4])
        let a = try Fixture.run(Fixture.settings(topology, seed: 7), partitions: Self.parts)
        let b = try Fixture.run(Fixture.settings(topology, seed: 7), partitions: Self.parts)
        let c = try Fixture.run(Fixture.settings(topology, seed: 8), partitions: Self.parts)
        #expect(a.final == b.final)
        #expect(a.parameters == b.parameters)
        #expect(a.records.map(\.accuracy) == b.records.map(\.accuracy))
        #expect(a.records.map(\.loss) == b.records.map(\.loss))
        #expect(a.records.map { $0.clients.map(\.failed) } == b.records.map { $0.clients.map(\.failed) })
        #expect(a.final != c.final)
    }

    @Test("client parallelism 2: deterministic, same records, and equal to one client at a time")
    func clientParallelism() throws {
        let topology = Fixture.hierarchical([3, 3], rounds: 3, localRounds: 2, failure: [0, 0.3, 0, 0.4, 0, 0])
        let one = try Fixture.run(Fixture.settings(topology, seed: 4), partitions: Self.parts)
        let two = try Fixture.run(Fixture.settings(topology, seed: 4, clientParallelism: 2), partitions: Self.parts)
        let again = try Fixture.run(Fixture.settings(topology, seed: 4, clientParallelism: 2), partitions: Self.parts)
        #expect(two.final == again.final)
        #expect(two.records.count == one.records.count)
        #expect(two.records.map(\.succeeded) == one.records.map(\.succeeded))
        #expect(two.records.map { $0.clients.count } == one.records.map { $0.clients.count })
        #expect(two.records.map { $0.clients.map(\.id) } == one.records.map { $0.clients.map(\.id) })
        // Each client trains single-threaded either way, and updates are added in client order.
        #expect(two.final == one.final)
        #expect(two.records.map(\.accuracy) == one.records.map(\.accuracy))
    }

    @Test("client parallelism 3 with many clients: no update lost, deterministic")
    func clientParallelismMany() throws {
        let parts = Fixture.partitions(Array(repeating: 25, count: 12))
        let topology = Fixture.flat(12, rounds: 3)
        let one = try Fixture.run(Fixture.settings(topology, seed: 2), partitions: parts)
        for _ in 0..<3 {
            let many = try Fixture.run(Fixture.settings(topology, seed: 2, clientParallelism: 3), partitions: parts)
            #expect(many.records.dropFirst().allSatisfy { $0.succeeded == 12 && $0.clients.count == 12 })
            #expect(many.final == one.final)
        }
    }
}

/// Client parallelism under stress: many one-sample clients, so training is short and the
/// parallel iterations finish close together.
@Suite("Federated engine: client parallelism stress")
struct EngineParallelStressTests {
    @Test("no client update is lost with clientParallelism 4 (16 clients × 100 rounds × 10 runs)")
    func noUpdateLost() throws {
        let n = 16
        let parts = (0..<n).map { [$0 * 3] }
        for _ in 0..<10 {
            let run = try Fixture.run(Fixture.settings(Fixture.flat(n, rounds: 100), clientParallelism: 4), partitions: parts)
            for record in run.records.dropFirst() {
                #expect(record.succeeded == n, "round \(record.round): \(record.succeeded) of \(n) updates arrived, none failed")
                #expect(record.clients.count == n)
            }
        }
    }
}

/// Unreliable clients.
@Suite("Federated engine: failures")
struct EngineFailureTests {
    @Test("an LA whose clients all fail keeps its model, is left out of the GA mean, and its failures are logged")
    func wholeClusterFails() throws {
        let parts = Fixture.partitions([40, 60, 50, 30, 70])
        let topology = Fixture.hierarchical([3, 2], rounds: 3, localRounds: 2, failure: [0, 0, 0, 1, 1])
        let run = try Fixture.run(Fixture.settings(topology, evaluateAggregators: true), partitions: parts)
        #expect(run.outcome.rounds == 3)
        for r in 1...3 {
            let record = run.records[r]
            let la2 = record.aggregators.filter { $0.id == "la2" }
            #expect(la2.count == 2)
            #expect(la2.allSatisfy { $0.asked == 2 && $0.succeeded == 0 && $0.failed == 2 && $0.weight == 0 })
            let la1 = record.aggregators.filter { $0.id == "la1" }
            #expect(la1.allSatisfy { $0.asked == 3 && $0.succeeded == 3 && $0.failed == 0 && $0.weight == 150 })
            #expect(record.asked == 10 && record.succeeded == 6 && record.failed == 4)
            // la2 kept the model it received, which is the previous global model: same test loss.
            let la2Last = try #require(la2.last)
            #expect(la2Last.loss == run.records[r - 1].loss)
            #expect(la2Last.accuracy == run.records[r - 1].accuracy)
            #expect(record.clients.filter { $0.parent == "la2" }.allSatisfy { $0.failed && $0.weight == 0 && $0.trainLoss.isNaN })
        }
        // The GA averaged la1 alone: the same run without la2 gives the same global models.
        let alone = Topology(global: .init(rounds: 3), aggregators: [.init(id: "la1", localRounds: 2)],
                             clients: (1...3).map { Topology.Client(id: "c\($0)", parent: "la1") })
        let reference = try Fixture.run(Fixture.settings(alone), partitions: Array(parts.prefix(3)))
        #expect(run.parameters == reference.parameters)
        #expect(run.records.map(\.accuracy) == reference.records.map(\.accuracy))
    }

    @Test("a client with p = 1 never succeeds; one with p = 0 always does")
    func certainFailure() throws {
        let parts = Fixture.partitions([40, 60, 50, 30])
        let run = try Fixture.run(Fixture.settings(Fixture.flat(4, rounds: 6, failure: [0.2, 1, 0.5, 0])), partitions: parts)
        let c2 = run.records.flatMap(\.clients).filter { $0.id == "c2" }
        #expect(c2.count == 6)
        #expect(c2.allSatisfy { $0.failed && $0.weight == 0 })
        let c4 = run.records.flatMap(\.clients).filter { $0.id == "c4" }
        #expect(c4.count == 6)
        #expect(c4.allSatisfy { !$0.failed && $0.weight == 30 })
        for record in run.records.dropFirst() {
            #expect(record.asked == 4 && record.succeeded + record.failed == 4)
            #expect(record.succeeded == record.clients.filter { !$0.failed }.count)
        }
    }

    @Test("the engine's failures are the FailureModel's draws for (seed, id, round, local round)")
    func failuresFollowTheModel() throws {
        let p = [0.5, 0.3, 0.7]
        let parts = Fixture.partitions([40, 40, 40])
        let topology = Fixture.hierarchical([2, 1], rounds: 4, localRounds: 2, failure: p)
        let run = try Fixture.run(Fixture.settings(topology, seed: 21), partitions: parts)
        let model = FailureModel(seed: 21)
        for record in run.records.dropFirst() {
            for c in record.clients {
                let k = Int(c.id.dropFirst())! - 1
                #expect(c.failed == model.fails(client: c.id, probability: p[k], round: record.round, localRound: c.localRound))
            }
        }
    }

    @Test("flat: when every client fails the global model is unchanged")
    func allFailFlat() throws {
        let parts = Fixture.partitions([40, 60, 50])
        let run = try Fixture.run(Fixture.settings(Fixture.flat(3, rounds: 3, failure: [1, 1, 1])), partitions: parts)
        #expect(run.parameters.count == 4)
        for r in 1...3 {
            #expect(run.parameters[r] == run.parameters[0])
            #expect(run.records[r].succeeded == 0 && run.records[r].failed == 3)
            #expect(run.records[r].loss == run.records[0].loss)
        }
    }

    @Test("flat: a round where every client fails leaves the model as the previous round left it")
    func someRoundsAllFail() throws {
        // Pick a seed whose draws give both kinds of rounds in the first 6 (computed from the model,
        // not from a run).
        let p = [0.6, 0.6], rounds = 6
        let fm = { (s: UInt64, r: Int) in (1...2).allSatisfy { FailureModel(seed: s).fails(client: "c\($0)", probability: p[$0 - 1], round: r, localRound: 1) } }
        let seed = try #require((1...500).map(UInt64.init).first { s in
            let all = (1...rounds).map { fm(s, $0) }
            return all.contains(true) && all.dropFirst().contains(false) && !all[0]
        })
        let parts = Fixture.partitions([60, 60])
        let run = try Fixture.run(Fixture.settings(Fixture.flat(2, rounds: rounds, failure: p), seed: seed), partitions: parts)
        for r in 1...rounds {
            if fm(seed, r) {
                #expect(run.records[r].succeeded == 0)
                #expect(run.parameters[r] == run.parameters[r - 1], "round \(r): everyone failed, the model must not move")
            } else {
                #expect(run.records[r].succeeded > 0)
                #expect(run.parameters[r] != run.parameters[r - 1], "round \(r): someone trained")
            }
        }
    }

    /// Runs one global round of la1 {c1 40, c2 60} and la2 {c3 50, c4 30} with L = 2, and each LA alone
    /// (whose global model is then exactly that LA's model), and checks the GA's weights.
    func checkClusterWeights(failure p: [Double], seed: UInt64, expectedW1: Double, wrongW1: [Double]) throws {
        let parts = Fixture.partitions([40, 60, 50, 30])
        let clients = (1...4).map { Topology.Client(id: "c\($0)", parent: $0 <= 2 ? "la1" : "la2", failureProbability: p[$0 - 1]) }
        func topology(_ las: [String]) -> Topology {
            Topology(global: .init(rounds: 1), aggregators: las.map { Topology.Aggregator(id: $0, localRounds: 2) },
                     clients: clients.filter { las.contains($0.parent) })
        }
        let full = try Fixture.run(Fixture.settings(topology(["la1", "la2"]), seed: seed), partitions: parts)
        let m1 = try Fixture.run(Fixture.settings(topology(["la1"]), seed: seed), partitions: Array(parts[0..<2])).final
        let m2 = try Fixture.run(Fixture.settings(topology(["la2"]), seed: seed), partitions: Array(parts[2..<4])).final
        func mean(_ w1: Double) -> [Double] { m1.indices.map { (w1 * Double(m1[$0]) + 80 * Double(m2[$0])) / (w1 + 80) } }
        #expect(maxAbsDiff(full.final, mean(expectedW1)) < 1e-6, "W₁ should be \(expectedW1)")
        for w in wrongW1 { #expect(maxAbsDiff(full.final, mean(w)) > 1e-5, "W₁ = \(w) must be distinguishable") }
    }

    @Test("W_ℓ = Σ n_k of the last local round with a success: c2 succeeds in local round 1, fails in 2")
    func clusterWeightLastRound() throws {
        let p = [0, 0.5, 0, 0]
        let seed = try #require((1...500).map(UInt64.init).first { s in
            let m = FailureModel(seed: s)
            return !m.fails(client: "c2", probability: 0.5, round: 1, localRound: 1) && m.fails(client: "c2", probability: 0.5, round: 1, localRound: 2)
        })
        try checkClusterWeights(failure: p, seed: seed, expectedW1: 40, wrongW1: [100])
    }

    @Test("W_ℓ from an earlier local round when the last one had no success (the LA keeps its model)")
    func clusterWeightEarlierRound() throws {
        let p = [0.5, 0.5, 0, 0]
        let seed = try #require((1...2000).map(UInt64.init).first { s in
            let m = FailureModel(seed: s)
            func f(_ c: String, _ l: Int) -> Bool { m.fails(client: c, probability: 0.5, round: 1, localRound: l) }
            return !f("c1", 1) && f("c2", 1) && f("c1", 2) && f("c2", 2)
        })
        try checkClusterWeights(failure: p, seed: seed, expectedW1: 40, wrongW1: [0, 100])
    }

    @Test("partial failure: the mean is renormalised over the updates that arrived")
    func renormalisedMean() throws {
        // c2 always fails, so the run equals one without c2 (no zero-filling, no stale update).
        let parts = Fixture.partitions([40, 60, 50])
        let with = try Fixture.run(Fixture.settings(Fixture.flat(3, rounds: 3, failure: [0, 1, 0])), partitions: parts)
        let without = Topology(global: .init(rounds: 3), clients: [.init(id: "c1", parent: "ga"), .init(id: "c3", parent: "ga")])
        let reference = try Fixture.run(Fixture.settings(without), partitions: [parts[0], parts[2]])
        #expect(with.parameters == reference.parameters)
    }
}
