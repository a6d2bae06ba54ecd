import Testing
@testable import Federation
import Learning

/// Tiny data, model and helpers shared by the federation suites: a 3-class 8×8 synthetic task and
/// a 239-parameter CNN, so that a federated round takes milliseconds.
enum Fixture {
    /// 300 training and 90 test samples; labels are `i % 3`, so contiguous partitions are balanced.
    static let data: DataSplit = {
        do { return try SyntheticDataset.make(classes: 3, shape: [1, 8, 8], trainCount: 300, testCount: 90, seed: 5) }
        catch { fatalError("synthetic data: \(error)") }
    }()

    /// conv 2×3×3 → ReLU → flatten (2·6·6 = 72) → linear 3: 20 + 219 = 239 parameters.
    static let spec = ModelSpec(name: "tiny", input: [1, 8, 8], layers: [.conv2d(2, kernel: 3), .relu, .flatten, .linear(3)])

    static func model(seed: UInt64 = 11) throws -> Model { try Model(spec: spec, seed: seed) }

    /// Disjoint contiguous partitions of the training set with the given sizes.
    static func partitions(_ sizes: [Int]) -> [[Int]] {
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return Array(start..<(start + n))
        }
    }

    /// Plain local SGD on small batches: learns the task within a few rounds.
    static let training = ClientTraining(batchSize: 16, optimizer: .sgd(learningRate: 0.05, momentum: 0.9))

    /// Flat topology: clients `c1…cN` under the GA.
    static func flat(_ n: Int, rounds: Int, aggregation: AggregationConfig = .fedAvg,
                     failure: [Double]? = nil) -> Topology {
        Topology(global: .init(id: "ga", rounds: rounds, aggregation: aggregation),
                 clients: (1...n).map { Topology.Client(id: "c\($0)", parent: "ga", failureProbability: failure?[$0 - 1] ?? 0) })
    }

    /// Hierarchical topology: `groups[j]` clients under `la(j+1)`, numbered `c1…` across groups.
    static func hierarchical(_ groups: [Int], rounds: Int, localRounds: Int = 1, aggregation: AggregationConfig = .fedAvg,
                             globalAggregation: AggregationConfig = .fedAvg, failure: [Double]? = nil) -> Topology {
        var clients: [Topology.Client] = []
        var k = 0
        for (j, size) in groups.enumerated() {
            for _ in 0..<size {
                clients.append(.init(id: "c\(k + 1)", parent: "la\(j + 1)", failureProbability: failure?[k] ?? 0))
                k += 1
            }
        }
        return Topology(global: .init(id: "ga", rounds: rounds, aggregation: globalAggregation),
                        aggregators: groups.indices.map { Topology.Aggregator(id: "la\($0 + 1)", localRounds: localRounds, aggregation: aggregation) },
                        clients: clients)
    }

    static func settings(_ topology: Topology, seed: UInt64 = 1, training: ClientTraining = Fixture.training,
                         stop: StopCriteria = StopCriteria(), modelSizeMB: Double? = nil, checkpointEvery: Int = 0,
                         evaluateAggregators: Bool = false, clientParallelism: Int = 1) -> FederationSettings {
        FederationSettings(topology: topology, training: training, stop: stop, modelSizeMB: modelSizeMB,
                           checkpointEvery: checkpointEvery, seed: seed, evaluateAggregators: evaluateAggregators,
                           clientParallelism: clientParallelism, threads: 1)
    }

    /// A finished run: its outcome, every round record with the global parameters after it
    /// (index 0: the initial model), and the checkpoints.
    struct Run {
        var outcome: FederationOutcome
        var records: [RoundRecord]
        var parameters: [[Float]]
        var checkpoints: [FederationCheckpoint]
        var final: [Float]
    }

    static func run(_ settings: FederationSettings, partitions: [[Int]], initialModel: Model? = nil,
                    resumingFrom checkpoint: FederationCheckpoint? = nil,
                    weighting: ((Int, String, [UpdateInfo]) throws -> [Double?])? = nil) throws -> Run {
        let training = try FederatedTraining(settings: settings, data: data, partitions: partitions,
                                             initialModel: initialModel ?? model())
        training.weighting = weighting
        let recorder = Recorder()
        recorder.training = training
        let outcome = try training.run(resumingFrom: checkpoint, observer: recorder)
        return Run(outcome: outcome, records: recorder.records, parameters: recorder.parameters,
                   checkpoints: recorder.checkpoints, final: training.model.parameters)
    }
}

/// Collects records, the global parameters after each record, and checkpoints.
final class Recorder: FederationObserver {
    weak var training: FederatedTraining?
    var records: [RoundRecord] = []
    var parameters: [[Float]] = []
    var checkpoints: [FederationCheckpoint] = []

    func roundFinished(_ record: RoundRecord) throws {
        records.append(record)
        if let training { parameters.append(training.model.parameters) }
    }

    func checkpoint(_ checkpoint: FederationCheckpoint) throws { checkpoints.append(checkpoint) }
}

/// Largest absolute element-wise difference (∞ when the lengths differ).
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Double {
    guard a.count == b.count else { return .infinity }
    var m = 0.0
    for i in a.indices { m = max(m, abs(Double(a[i]) - Double(b[i]))) }
    return m
}

func maxAbsDiff(_ a: [Float], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var m = 0.0
    for i in a.indices { m = max(m, abs(Double(a[i]) - b[i])) }
    return m
}

/// One aggregation round: `begin(current:)`, the updates with their weights, `finish()`.
func aggregate(_ aggregator: ModelAggregator, current: [Float], _ updates: [([Float], Double)]) -> [Float]? {
    aggregator.begin(current: current)
    for (u, w) in updates { u.withUnsafeBufferPointer { aggregator.add($0, weight: w) } }
    return aggregator.finish()
}
