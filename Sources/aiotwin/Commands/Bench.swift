import ArgumentParser
import Foundation
import Learning

/// `aiotwin bench`: reproducible performance measurements.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure performance (compare with the peers in ../shared/peers).",
        subcommands: [TrainBench.self, FLBench.self, LuaBench.self])
}

/// `aiotwin bench train`: training-step throughput of the pilot CNN.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training throughput (samples/s) and achieved GFLOP/s of the pilot CNN.",
        discussion: """
            Same protocol as the PyTorch peer (torch_cnn_bench.py): SGD with momentum 0.9 on one
            fixed random batch, warm-up steps excluded. By default measures 1x28x28 and 3x32x32
            inputs, batch 32 and 64, 1 and 2 threads.
            """)

    @Option(parsing: .upToNextOption, help: "Input shapes, e.g. 1x28x28 3x32x32.")
    var input: [String] = ["1x28x28", "3x32x32"]

    @Option(parsing: .upToNextOption, help: "Batch sizes.")
    var batch: [Int] = [32, 64]

    @Option(parsing: .upToNextOption, help: "Thread counts.")
    var threads: [Int] = [1, 2]

    @Option(help: "Timed steps per configuration.")
    var steps = 200

    @Option(help: "Model: \(ModelZoo.names.joined(separator: ", ")).")
    var model = "cnn"

    @Flag(help: "Print an array of rows {input, batch, threads, samples_per_s, gflops} as JSON.")
    var json = false

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1") }
        guard batch.allSatisfy({ (1...4096).contains($0) }) else { throw ValidationError("--batch values must be in 1...4096") }
        guard threads.allSatisfy({ (1...256).contains($0) }) else { throw ValidationError("--threads values must be in 1...256") }
        _ = try shapes()
    }

    func shapes() throws -> [[Int]] {
        try input.map { text in
            let parts = text.lowercased().split(separator: "x").map { Int($0) }
            guard parts.count == 3, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--input '\(text)' is not of the form CxHxW (e.g. 1x28x28)")
            }
            return parts.map { $0! }
        }
    }

    func run() throws {
        var rows: [TrainingBenchmark.Row] = []
        if !json {
            print("OpenBLAS kernel \(BLASRuntime.coreName); \(steps) timed steps each")
            print("input      batch  threads  samples/s   GFLOP/s")
        }
        for shape in try shapes() {
            let spec = try ModelZoo.spec(named: model, input: shape, classes: 10)
            for b in batch {
                for t in threads {
                    let row = try TrainingBenchmark.run(spec: spec, batch: b, threads: t, steps: steps)
                    rows.append(row)
                    if !json {
                        print(row.input.padding(toLength: 10, withPad: " ", startingAt: 0),
                              String(format: "%5d  %7d  %9.0f  %8.1f", row.batch, row.threads, row.samples_per_s, row.gflops))
                    }
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        }
    }
}
