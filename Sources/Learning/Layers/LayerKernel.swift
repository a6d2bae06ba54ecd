/// A layer bound to one worker: it owns its output and scratch buffers and runs the forward and
/// backward passes on raw contiguous memory.
///
/// Activation layout. Inside a worker, image activations are stored channel-major over the batch,
/// `[C, B, H, W]`: a convolution over the whole batch is then one GEMM whose result is already
/// in that layout, with no transposition. Flat activations are `[B, F]` as usual. `Flatten`
/// converts between the two so that features keep PyTorch's (c, h, w) order.
///
/// Parameter gradients go into the worker's gradient vector at the layer's offsets: written, or
/// added when `accumulate` is true (micro-batches after the first); the trainer reduces the
/// workers' vectors afterwards.
protocol LayerKernel: AnyObject {
    /// The output buffer, valid after `forward`.
    var output: UnsafeMutablePointer<Float> { get }
    /// Output elements per sample.
    var outputSize: Int { get }
    /// Whether `backward` must produce the gradient with respect to the input. The first layer
    /// of a network does not need it.
    var needsInputGradient: Bool { get set }
    /// Makes the buffers large enough for `batch` samples.
    func reserve(batch: Int)
    /// Computes the output for `batch` samples.
    func forward(_ input: UnsafePointer<Float>, batch: Int, weights: UnsafePointer<Float>)
    /// Computes parameter gradients (added to `gradients` when `accumulate`) and, when
    /// `needsInputGradient`, the input gradient.
    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, batch: Int,
                  weights: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, accumulate: Bool)
}

/// Builds the kernel of a resolved layer.
func makeKernel(for layer: ResolvedLayer, layout: ParameterLayout) -> LayerKernel {
    let weightOffset = layer.parameterName.flatMap { layout.entry(named: $0 + ".weight")?.offset } ?? 0
    let biasOffset = layer.parameterName.flatMap { layout.entry(named: $0 + ".bias")?.offset } ?? 0
    let s = layer.inputShape
    switch layer.spec.operation {
    case let .conv2d(out, k, stride, pad):
        return Conv2DKernel(inChannels: s[0], height: s[1], width: s[2], outChannels: out,
                            kernel: k, stride: stride, padding: pad,
                            weightOffset: weightOffset, biasOffset: biasOffset)
    case .relu:
        return ReLUKernel(size: s.reduce(1, *))
    case let .maxPool2d(k, stride):
        return MaxPool2DKernel(channels: s[0], height: s[1], width: s[2], kernel: k, stride: stride)
    case .flatten:
        return FlattenKernel(shape: s)
    case let .linear(out):
        return LinearKernel(inFeatures: s[0], outFeatures: out, weightOffset: weightOffset, biasOffset: biasOffset)
    }
}

/// Adds `bias[r]` to every element of row `r` of a `rows × columns` matrix.
@inline(__always)
func addRowBias(_ m: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows {
        let b = bias[r]
        let row = m + r * columns
        for c in 0..<columns { row[c] += b }
    }
}

/// Adds `bias` to every row of a `rows × columns` matrix.
@inline(__always)
func addColumnBias(_ m: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>) {
    for r in 0..<rows {
        let row = m + r * columns
        for c in 0..<columns { row[c] += bias[c] }
    }
}
