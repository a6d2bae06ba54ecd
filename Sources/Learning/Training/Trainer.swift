import Foundation

/// Trains and evaluates models of one architecture on image data sets, on `threads` CPU threads.
///
/// Parallelism: each mini-batch is split into `threads` contiguous slices, one per worker, each
/// running single-threaded BLAS on its slice; the workers' gradients are then summed in a fixed
/// order and the optimiser updates disjoint slices of the parameter vector in parallel. For a
/// given seed and thread count, results are bit-identical from run to run.
///
/// A `Trainer` holds buffers for a few batches, not for data or models: one trainer can train any
/// number of federated clients in turn, keeping memory bounded.
public final class Trainer: @unchecked Sendable {
    /// The architecture this trainer runs.
    public let architecture: ResolvedModel
    /// Worker threads per step.
    public let threads: Int
    /// The largest slice a worker passes through the network at once (see
    /// `NetworkWorker.accumulateGradients`); batches are split into such micro-batches.
    public var microBatch = 32
    /// A proximal term μ/2·‖w − anchor‖² added to the loss during training (FedProx's client
    /// objective, with the model the client received as anchor); `nil` for none.
    public var proximal: (mu: Float, anchor: [Float])?
    private let workers: [NetworkWorker]
    private var lossSums: [Double]
    private var corrects: [Int]

    /// Creates a trainer; sets OpenBLAS to one thread per call, since workers run in parallel.
    public init(architecture: ResolvedModel, threads: Int = 1) {
        self.architecture = architecture
        self.threads = max(1, threads)
        self.workers = (0..<max(1, threads)).map { _ in NetworkWorker(architecture: architecture) }
        self.lossSums = Array(repeating: 0, count: max(1, threads))
        self.corrects = Array(repeating: 0, count: max(1, threads))
        BLASRuntime.setThreads(1)
    }

    /// Trains `model` for `options.epochs` epochs on the samples `indices` of `data` (all when `nil`).
    /// The sample order is reshuffled every epoch from `options.seed`.
    @discardableResult
    public func train(_ model: inout Model, data: ImageDataset, indices: [Int]? = nil,
                      options: TrainingOptions,
                      progress: ((TrainingProgress) -> Void)? = nil) throws -> [EpochResult] {
        try options.validate()
        try checkCompatible(data)
        let optimizer = options.optimizer.make(parameterCount: model.parameterCount)
        var order = indices ?? Array(0..<data.count)
        var rng = SeededGenerator(seed: options.seed, label: "shuffle")
        var results: [EpochResult] = []
        for epoch in 0..<options.epochs {
            if options.shuffle == .everyEpoch || (options.shuffle == .once && epoch == 0) { rng.shuffle(&order) }
            let r = trainEpoch(&model, data: data, order: order, batchSize: options.batchSize,
                               optimizer: optimizer, epoch: epoch, epochs: options.epochs, progress: progress)
            results.append(r)
        }
        return results
    }

    /// One pass over `order` in mini-batches (the last one may be smaller, as PyTorch's default).
    public func trainEpoch(_ model: inout Model, data: ImageDataset, order: [Int], batchSize: Int,
                           optimizer: Optimizer, epoch: Int = 0, epochs: Int = 1,
                           progress: ((TrainingProgress) -> Void)? = nil) -> EpochResult {
        let start = DispatchTime.now().uptimeNanoseconds
        var lossSum = 0.0, correct = 0, done = 0
        model.parameters.withUnsafeMutableBufferPointer { w in
            order.withUnsafeBufferPointer { idx in
                var offset = 0
                while offset < idx.count {
                    let n = min(batchSize, idx.count - offset)
                    let slice = UnsafeBufferPointer(rebasing: idx[offset..<(offset + n)])
                    let (l, c) = step(weights: w.baseAddress!, batch: slice, data: data, optimizer: optimizer)
                    lossSum += l; correct += c; done += n; offset += n
                    if let progress {
                        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
                        progress(TrainingProgress(epoch: epoch, epochs: epochs, samplesDone: done, samplesTotal: idx.count,
                                                  meanLoss: lossSum / Double(done), seconds: elapsed))
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        return EpochResult(epoch: epoch, samples: done, meanLoss: done > 0 ? lossSum / Double(done) : .nan,
                           accuracy: done > 0 ? Double(correct) / Double(done) : .nan, seconds: seconds)
    }

    /// One optimisation step on a mini-batch; returns the summed loss and the number correct.
    func step(weights: UnsafeMutablePointer<Float>, batch: UnsafeBufferPointer<Int>, data: ImageDataset,
              optimizer: Optimizer?) -> (Double, Int) {
        let total = batch.count
        let active = min(threads, total)
        let scale = 1 / Float(total)
        let w = UncheckedSendable(weights)
        let this = self
        // Phase 1: every worker computes the gradient of its slice (scaled by 1/batch).
        parallelFor(active) { t in
            let lo = total * t / active, hi = total * (t + 1) / active
            let (l, c) = this.workers[t].accumulateGradients(data, indices: UnsafeBufferPointer(rebasing: batch[lo..<hi]),
                                                             scale: scale, weights: w.value, microBatch: this.microBatch)
            this.lossSums[t] = l
            this.corrects[t] = c
        }
        // Phase 2: sum the workers' gradients into worker 0's in a fixed order and apply the
        // optimiser, each thread on its own slice of the parameter vector.
        optimizer?.beginStep()
        let ranges = splitRange(architecture.layout.count, parts: threads)
        let proximal = self.proximal
        parallelFor(ranges.count) { p in
            let range = ranges[p]
            let g0 = this.workers[0].gradients.pointer
            for t in 1..<max(active, 1) {
                let g = this.workers[t].gradients.pointer
                for i in range { g0[i] += g[i] }
            }
            if optimizer != nil, let proximal {
                // FedProx: the gradient of μ/2·‖w − w_anchor‖² is μ·(w − w_anchor).
                proximal.anchor.withUnsafeBufferPointer { a in
                    let mu = proximal.mu
                    for i in range { g0[i] += mu * (w.value[i] - a[i]) }
                }
            }
            optimizer?.update(range, weights: w.value, gradient: g0)
        }
        var l = 0.0, c = 0
        for t in 0..<active { l += lossSums[t]; c += corrects[t] }
        return (l, c)
    }

    /// The mean loss of `model` on the samples `indices` of `data`, taken as one batch, and its
    /// gradient with respect to every parameter (in the layout of `model.parameters`).
    public func gradient(of model: Model, data: ImageDataset, indices: [Int]) throws -> (meanLoss: Double, gradient: [Float]) {
        try checkCompatible(data)
        guard !indices.isEmpty else { throw LearningError.invalidArgument("gradient of an empty batch") }
        var weights = model.parameters
        let (lossSum, _) = weights.withUnsafeMutableBufferPointer { w in
            indices.withUnsafeBufferPointer { idx in step(weights: w.baseAddress!, batch: idx, data: data, optimizer: nil) }
        }
        let g = Array(UnsafeBufferPointer(start: workers[0].gradients.pointer, count: architecture.layout.count))
        return (lossSum / Double(indices.count), g)
    }

    /// Loss and accuracy of `model` on the samples `indices` of `data` (all when `nil`).
    public func evaluate(_ model: Model, data: ImageDataset, indices: [Int]? = nil, batchSize: Int = 256) throws -> Evaluation {
        try checkCompatible(data)
        let order = indices ?? Array(0..<data.count)
        var lossSum = 0.0, correct = 0
        let this = self
        model.parameters.withUnsafeBufferPointer { w in
            let wp = UncheckedSendable(w.baseAddress!)
            order.withUnsafeBufferPointer { idx in
                var offset = 0
                while offset < idx.count {
                    let n = min(batchSize, idx.count - offset)
                    let slice = UnsafeBufferPointer(rebasing: idx[offset..<(offset + n)])
                    let active = min(threads, n)
                    parallelFor(active) { t in
                        let lo = n * t / active, hi = n * (t + 1) / active
                        let worker = this.workers[t]
                        worker.load(data, indices: UnsafeBufferPointer(rebasing: slice[lo..<hi]))
                        worker.forward(batch: hi - lo, weights: wp.value)
                        let (l, c) = worker.loss(batch: hi - lo, scale: nil)
                        this.lossSums[t] = l
                        this.corrects[t] = c
                    }
                    for t in 0..<active { lossSum += lossSums[t]; correct += corrects[t] }
                    offset += n
                }
            }
        }
        let count = order.count
        return Evaluation(count: count, meanLoss: count > 0 ? lossSum / Double(count) : .nan,
                          accuracy: count > 0 ? Double(correct) / Double(count) : .nan)
    }

    /// The model's outputs (logits) for the samples `indices` of `data`, row-major `[B, K]`.
    public func outputs(of model: Model, data: ImageDataset, indices: [Int]) throws -> [Float] {
        try checkCompatible(data)
        let k = architecture.classCount
        var result = [Float]()
        result.reserveCapacity(indices.count * k)
        let worker = workers[0]
        model.parameters.withUnsafeBufferPointer { w in
            indices.withUnsafeBufferPointer { idx in
                var offset = 0
                while offset < idx.count {
                    let n = min(256, idx.count - offset)
                    worker.load(data, indices: UnsafeBufferPointer(rebasing: idx[offset..<(offset + n)]))
                    let logits = worker.forward(batch: n, weights: w.baseAddress!)
                    result.append(contentsOf: UnsafeBufferPointer(start: logits, count: n * k))
                    offset += n
                }
            }
        }
        return result
    }

    /// Checks that `data`'s samples fit the model's input and its labels the model's outputs.
    public func checkCompatible(_ data: ImageDataset) throws {
        guard data.sampleShape == architecture.spec.input else {
            throw LearningError.shapeMismatch(context: "model '\(architecture.spec.name)' input",
                                              expected: Shape.describe(architecture.spec.input),
                                              found: "\(Shape.describe(data.sampleShape)) samples of \(data.name)")
        }
        guard data.classCount <= architecture.classCount else {
            throw LearningError.shapeMismatch(context: "model '\(architecture.spec.name)' output",
                                              expected: "at least \(data.classCount) classes of \(data.name)",
                                              found: "\(architecture.classCount) logits")
        }
    }
}

/// Options of a training session.
public struct TrainingOptions: Sendable, Equatable {
    /// When the sample order is reshuffled.
    public enum Shuffle: String, Sendable, Equatable { case everyEpoch, once, none }
    /// Passes over the data.
    public var epochs: Int
    /// Samples per optimisation step.
    public var batchSize: Int
    /// The optimiser, re-created at the start of every `train` call.
    public var optimizer: OptimizerConfig
    /// Seed of the shuffling stream.
    public var seed: UInt64
    /// Shuffling policy (PyTorch's DataLoader reshuffles every epoch; the anchor's clients once).
    public var shuffle: Shuffle

    /// Creates options.
    public init(epochs: Int = 1, batchSize: Int = 32, optimizer: OptimizerConfig = .sgd(learningRate: 0.01),
                seed: UInt64 = 1, shuffle: Shuffle = .everyEpoch) {
        self.epochs = epochs; self.batchSize = batchSize; self.optimizer = optimizer
        self.seed = seed; self.shuffle = shuffle
    }

    /// Checks the values.
    public func validate() throws {
        guard epochs >= 0 else { throw LearningError.invalidArgument("epochs must be non-negative, found \(epochs)") }
        guard (1...65_536).contains(batchSize) else { throw LearningError.invalidArgument("batch size must be in 1...65536, found \(batchSize)") }
        try optimizer.validate()
    }
}

/// Progress of a running epoch, reported after every step.
public struct TrainingProgress: Sendable {
    /// Current epoch (0-based) and the number of epochs.
    public let epoch: Int, epochs: Int
    /// Samples processed in this epoch, and in the whole epoch.
    public let samplesDone: Int, samplesTotal: Int
    /// Mean training loss so far in this epoch.
    public let meanLoss: Double
    /// Seconds since the epoch started.
    public let seconds: Double
    /// Throughput so far.
    public var samplesPerSecond: Double { seconds > 0 ? Double(samplesDone) / seconds : 0 }
}

/// Summary of one training epoch.
public struct EpochResult: Sendable, Equatable {
    /// The epoch (0-based).
    public let epoch: Int
    /// Samples processed.
    public let samples: Int
    /// Mean training loss over the epoch (as the weights changed).
    public let meanLoss: Double
    /// Training accuracy over the epoch.
    public let accuracy: Double
    /// Wall time.
    public let seconds: Double
    /// Throughput.
    public var samplesPerSecond: Double { seconds > 0 ? Double(samples) / seconds : 0 }
}

/// Loss and accuracy on a set of samples.
public struct Evaluation: Sendable, Equatable {
    /// Samples evaluated.
    public let count: Int
    /// Mean cross-entropy.
    public let meanLoss: Double
    /// Fraction classified correctly.
    public let accuracy: Double

    /// Creates an evaluation result.
    public init(count: Int, meanLoss: Double, accuracy: Double) {
        self.count = count; self.meanLoss = meanLoss; self.accuracy = accuracy
    }
}
