import Foundation

/// Measures training-step throughput on random inputs, like `../peers/torch_cnn_bench.py`:
/// SGD with momentum 0.9, fixed random batch, warm-up steps excluded.
public enum TrainingBenchmark {
    /// One measurement.
    public struct Row: Sendable, Codable, Equatable {
        /// Input shape as `1x28x28`.
        public let input: String
        /// Batch size.
        public let batch: Int
        /// Threads.
        public let threads: Int
        /// Training samples per second.
        public let samples_per_s: Double
        /// Achieved GFLOP/s counting the GEMM work of forward and backward passes.
        public let gflops: Double
    }

    /// Trains `spec` for `steps` steps after `warmup` steps and reports throughput.
    public static func run(spec: ModelSpec, batch: Int, threads: Int, steps: Int = 200, warmup: Int = 30,
                           seed: UInt64 = 0) throws -> Row {
        var model = try Model(spec: spec, seed: seed)
        let input = spec.input
        // A fixed random batch of bytes with random labels, as the peer's randn batch.
        var rng = SeededGenerator(seed: seed, label: "bench")
        let n = batch
        let size = input.reduce(1, *)
        let pixels = (0..<(n * size)).map { _ in UInt8(rng.int(below: 256)) }
        let labels = (0..<n).map { _ in Int32(rng.int(below: model.architecture.classCount)) }
        let data = try ImageDataset(name: "bench", sampleShape: input, pixels: pixels, labels: labels,
                                    classNames: (0..<model.architecture.classCount).map(String.init),
                                    normalization: Normalization(mean: Array(repeating: 0.5, count: input[0]),
                                                                 std: Array(repeating: 0.25, count: input[0])))
        let trainer = Trainer(architecture: model.architecture, threads: threads)
        let optimizer = OptimizerConfig.sgd(learningRate: 0.01, momentum: 0.9).make(parameterCount: model.parameterCount)
        let order = Array(0..<n)
        var seconds = 0.0
        for i in 0..<(warmup + steps) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = trainer.trainEpoch(&model, data: data, order: order, batchSize: batch, optimizer: optimizer)
            if i >= warmup { seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 }
        }
        let samplesPerSecond = Double(batch * steps) / seconds
        return Row(input: input.map(String.init).joined(separator: "x"), batch: batch, threads: threads,
                   samples_per_s: samplesPerSecond,
                   gflops: samplesPerSecond * Double(model.architecture.trainingFLOPsPerSample) / 1e9)
    }
}

extension ResolvedModel {
    /// Floating-point operations of one training sample's GEMMs: forward, weight gradients and,
    /// where needed, input gradients (the first parameterised layer has none).
    public var trainingFLOPsPerSample: Int {
        var total = 0
        var first = true
        for layer in layers {
            let forward: Int
            switch layer.spec.operation {
            case let .conv2d(out, k, _, _):
                forward = 2 * out * layer.inputShape[0] * k * k * layer.outputShape[1] * layer.outputShape[2]
            case let .linear(out):
                forward = 2 * out * layer.inputShape[0]
            default:
                continue
            }
            total += forward * (first ? 2 : 3)
            first = false
        }
        return total
    }
}
