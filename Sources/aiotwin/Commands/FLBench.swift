import ArgumentParser
import Federation
import Foundation
import Learning

/// `aiotwin bench fl`: aggregation speed, federation overhead and round time.
struct FLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fl",
        abstract: "Federated learning: aggregation speed, overhead against centralised training, round time and memory.",
        discussion: """
            Aggregates 10 updates of a 1M-parameter model; trains the pilot CNN on IID shares of
            the data (FedAvg, E = 1, batch 32) for --rounds rounds with each client count, and
            one epoch centrally on the same samples; reports samples/s, round time and peak RSS.
            """)

    @Option(parsing: .upToNextOption, help: "Client counts.")
    var clients: [Int] = [10, 20, 100]

    @Option(help: "Global rounds per client count.")
    var rounds = 1

    @Option(help: "Data set: fashion-mnist or synthetic.")
    var dataset = "fashion-mnist"

    @Option(help: "Clients trained at once, one thread each (default: --threads; 1: one client at a time on all threads).")
    var clientParallelism: Int?

    @OptionGroup var threading: ThreadOptions

    @Flag(help: "Skip the training measurements.")
    var aggregationOnly = false

    func validate() throws {
        guard clients.allSatisfy({ $0 >= 1 }), rounds >= 1, (clientParallelism ?? 1) >= 1 else {
            throw ValidationError("--clients, --rounds and --client-parallelism must be positive")
        }
    }

    func run() throws {
        print("aggregation of 10 updates of 1,000,000 parameters (best of 5):")
        for row in FederationBenchmark.aggregation(threads: threading.threads) {
            print(String(format: "  %-52@ %7.2f ms  %6.1f GB/s", row.name as NSString, row.milliseconds, row.gigabytesPerSecond))
        }
        guard !aggregationOnly else { return }
        let split = try DatasetCatalog.load(dataset)
        let spec = ModelZoo.pilotCNN(input: split.train.sampleShape, classes: split.train.classCount)
        let initial = try Model(spec: spec, seed: 1)
        // Centralised reference: one epoch over the same samples.
        var central = initial
        let trainer = Trainer(architecture: initial.architecture, threads: threading.threads)
        var order = Array(0..<split.train.count)
        var rng = SeededGenerator(seed: 1, label: "shuffle")
        rng.shuffle(&order)
        let epoch = trainer.trainEpoch(&central, data: split.train, order: order, batchSize: 32,
                                       optimizer: OptimizerConfig.sgd(learningRate: 0.01, momentum: 0.9).make(parameterCount: initial.parameterCount))
        print(String(format: "centralised: %.0f samples/s (%d samples, %d threads)", epoch.samplesPerSecond, epoch.samples, threading.threads))
        for n in clients {
            let topology = Topology(global: .init(rounds: rounds), clients: (1...n).map { .init(id: "c\($0)", parent: "ga", cost: 1) })
            let partition = try PartitionScheme.iid.partition(labels: split.train.labels, classCount: split.train.classCount, clients: n, seed: 1)
            let settings = FederationSettings(topology: topology, training: ClientTraining(batchSize: 32), seed: 1,
                                              clientParallelism: clientParallelism ?? threading.threads, threads: threading.threads)
            let fl = try FederatedTraining(settings: settings, data: split, partitions: partition.clients, initialModel: initial)
            let observer = Timing()
            try fl.run(observer: observer)
            let perRound = observer.rounds.map(\.wallRound)
            let mean = perRound.reduce(0, +) / Double(max(perRound.count, 1))
            let samplesPerSecond = Double(split.train.count) / mean
            print(String(format: "%4d clients: %.2f s per round (training and test evaluation), %.0f samples/s incl. aggregation and evaluation, overhead %.1f%% vs centralised; accuracy after %d round%@ %.2f%%; peak RSS %.0f MiB",
                         n, mean, samplesPerSecond, 100 * (1 - samplesPerSecond / epoch.samplesPerSecond), rounds, rounds == 1 ? "" : "s",
                         100 * (observer.rounds.last?.accuracy ?? .nan), FederationBenchmark.peakResidentMiB()))
        }
    }

    final class Timing: FederationObserver {
        var rounds: [RoundRecord] = []
        func roundFinished(_ record: RoundRecord) throws { if record.round > 0 { rounds.append(record) } }
        func checkpoint(_ checkpoint: FederationCheckpoint) throws {}
    }
}
