/// Converts `[C, B, H, W]` activations to `[B, C·H·W]` in PyTorch's (c, h, w) feature order.
/// On flat input it is the identity.
final class FlattenKernel: LayerKernel {
    let channels, plane: Int
    var needsInputGradient = true
    private let out = AlignedBuffer(count: 0)

    var output: UnsafeMutablePointer<Float> { out.pointer }
    var outputSize: Int { channels * plane }

    init(shape: [Int]) {
        // A flat input [B, F] is the same memory as [1, B, F]: one "channel", so a plain copy.
        channels = shape.count == 1 ? 1 : shape[0]
        plane = shape.count == 1 ? shape[0] : shape.dropFirst().reduce(1, *)
    }

    func reserve(batch: Int) { out.reserve(batch * outputSize) }

    func forward(_ input: UnsafePointer<Float>, batch: Int, weights: UnsafePointer<Float>) {
        let features = outputSize
        for c in 0..<channels {
            for b in 0..<batch {
                (out.pointer + b * features + c * plane).update(from: input + (c * batch + b) * plane, count: plane)
            }
        }
    }

    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, batch: Int,
                  weights: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, accumulate: Bool) {
        guard needsInputGradient else { return }
        let features = outputSize
        for c in 0..<channels {
            for b in 0..<batch {
                (inputGradient + (c * batch + b) * plane).update(from: outputGradient + b * features + c * plane, count: plane)
            }
        }
    }
}
