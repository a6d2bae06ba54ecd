/// One thread's share of a training step: the model's layers bound to this worker's buffers.
///
/// Workers read the shared weights and write only their own activations and gradient vector, so
/// several run in parallel on different slices of a batch without locks.
final class NetworkWorker: @unchecked Sendable {
    let architecture: ResolvedModel
    let kernels: [LayerKernel]
    let inputSize: Int
    let classCount: Int
    /// The batch input in `[C, B, H, W]` layout.
    let input = AlignedBuffer(count: 0)
    /// Ping-pong buffers for activation gradients.
    private let gradientA = AlignedBuffer(count: 0), gradientB = AlignedBuffer(count: 0)
    /// This worker's parameter gradients (the full parameter vector).
    let gradients: AlignedBuffer
    /// ∂loss/∂logits.
    let logitsGradient = AlignedBuffer(count: 0)
    /// Labels of the current batch slice.
    var labels: [Int32] = []
    private(set) var capacity = 0

    init(architecture: ResolvedModel) {
        self.architecture = architecture
        self.kernels = architecture.layers.map { makeKernel(for: $0, layout: architecture.layout) }
        // Only parameterised layers after the first need input gradients; nothing before the
        // first parameterised layer needs any.
        var seenParameters = false
        for (kernel, layer) in zip(kernels, architecture.layers) {
            kernel.needsInputGradient = seenParameters
            if layer.parameterName != nil { seenParameters = true }
        }
        self.inputSize = architecture.spec.input.reduce(1, *)
        self.classCount = architecture.classCount
        self.gradients = AlignedBuffer(count: architecture.layout.count)
    }

    /// Grows every buffer to hold `batch` samples.
    func reserve(batch: Int) {
        guard batch > capacity else { return }
        capacity = batch
        input.reserve(batch * inputSize)
        var largest = inputSize
        for k in kernels {
            k.reserve(batch: batch)
            largest = max(largest, k.outputSize)
        }
        gradientA.reserve(batch * largest)
        gradientB.reserve(batch * largest)
        logitsGradient.reserve(batch * classCount)
        if labels.count < batch { labels = Array(repeating: 0, count: batch) }
    }

    /// Loads samples `indices` of `data` as the worker's batch.
    func load(_ data: ImageDataset, indices: UnsafeBufferPointer<Int>) {
        reserve(batch: indices.count)
        labels.withUnsafeMutableBufferPointer { l in
            data.gatherChannelMajor(indices, into: input.pointer, labels: l.baseAddress!)
        }
    }

    /// Runs the forward pass on the loaded batch; returns the logits `[B, K]`.
    @discardableResult
    func forward(batch: Int, weights: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        var x = UnsafePointer(input.pointer)
        for k in kernels {
            k.forward(x, batch: batch, weights: weights)
            x = UnsafePointer(k.output)
        }
        return kernels[kernels.count - 1].output
    }

    /// Computes loss statistics and, when `scale` is given, the logits gradient `scale·∂ℓ/∂z`.
    func loss(batch: Int, scale: Float?) -> (lossSum: Double, correct: Int) {
        labels.withUnsafeBufferPointer { l in
            SoftmaxCrossEntropy.evaluate(logits: kernels[kernels.count - 1].output, labels: l.baseAddress!,
                                         batch: batch, classes: classCount, scale: scale ?? 0,
                                         gradient: scale == nil ? nil : logitsGradient.pointer)
        }
    }

    /// Forward and backward passes over `indices` of `data` in micro-batches of at most
    /// `microBatch` samples, summing the gradient of `scale · loss` into `gradients`. Small
    /// micro-batches keep each layer's working set in cache, so large batches run as fast per
    /// sample as small ones. Returns the summed loss and the number classified correctly.
    func accumulateGradients(_ data: ImageDataset, indices: UnsafeBufferPointer<Int>, scale: Float,
                             weights: UnsafePointer<Float>, microBatch: Int) -> (lossSum: Double, correct: Int) {
        var lossSum = 0.0, correct = 0
        var start = 0
        while start < indices.count {
            let n = min(microBatch, indices.count - start)
            load(data, indices: UnsafeBufferPointer(rebasing: indices[start..<(start + n)]))
            forward(batch: n, weights: weights)
            let (l, c) = loss(batch: n, scale: scale)
            backward(batch: n, weights: weights, accumulate: start > 0)
            lossSum += l; correct += c
            start += n
        }
        return (lossSum, correct)
    }

    /// Back-propagates `logitsGradient` into `gradients` (added to them when `accumulate`).
    func backward(batch: Int, weights: UnsafePointer<Float>, accumulate: Bool = false) {
        var upstream = UnsafePointer(logitsGradient.pointer)
        var target = gradientA
        // Layers before the first parameterised one have needsInputGradient == false and no
        // parameters, so visiting them costs nothing.
        for i in stride(from: kernels.count - 1, through: 0, by: -1) {
            let k = kernels[i]
            let layerInput = i == 0 ? UnsafePointer(input.pointer) : UnsafePointer(kernels[i - 1].output)
            k.backward(input: layerInput, outputGradient: upstream, inputGradient: target.pointer,
                       batch: batch, weights: weights, gradients: gradients.pointer, accumulate: accumulate)
            upstream = UnsafePointer(target.pointer)
            target = target === gradientA ? gradientB : gradientA
        }
    }
}
