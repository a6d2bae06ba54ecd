/// Max pooling over `kernel`×`kernel` windows with a stride, PyTorch's floor mode, no padding.
///
/// Works on `[C, B, H, W]` as on `C·B` independent planes. The forward pass records the winning
/// position of every window (the first maximum, as PyTorch) for the backward scatter.
final class MaxPool2DKernel: LayerKernel {
    let channels, height, width, kernel, stride: Int
    let outHeight, outWidth: Int
    var needsInputGradient = true
    private let out = AlignedBuffer(count: 0)
    private var argmax: [Int32] = []

    var output: UnsafeMutablePointer<Float> { out.pointer }
    var outputSize: Int { channels * outHeight * outWidth }

    init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int) {
        self.channels = channels; self.height = height; self.width = width
        self.kernel = kernel; self.stride = stride
        self.outHeight = (height - kernel) / stride + 1
        self.outWidth = (width - kernel) / stride + 1
    }

    func reserve(batch: Int) {
        out.reserve(batch * outputSize)
        if argmax.count < batch * outputSize { argmax = Array(repeating: 0, count: batch * outputSize) }
    }

    func forward(_ input: UnsafePointer<Float>, batch: Int, weights: UnsafePointer<Float>) {
        let planes = channels * batch
        let inPlane = height * width, outPlane = outHeight * outWidth
        let o = out.pointer
        argmax.withUnsafeMutableBufferPointer { am in
            let arg = am.baseAddress!
            if kernel == 2 && stride == 2 {
                forward2x2(input, planes: planes, output: o, argmax: arg)
                return
            }
            for p in 0..<planes {
                let src = input + p * inPlane
                let dst = o + p * outPlane
                let idx = arg + p * outPlane
                for oh in 0..<outHeight {
                    for ow in 0..<outWidth {
                        let h0 = oh * stride, w0 = ow * stride
                        var best = src[h0 * width + w0]
                        var bestIndex = h0 * width + w0
                        for i in 0..<kernel {
                            let row = (h0 + i) * width
                            for j in 0..<kernel {
                                let v = src[row + w0 + j]
                                if v > best || v.isNaN { best = v; bestIndex = row + w0 + j }
                            }
                        }
                        dst[oh * outWidth + ow] = best
                        idx[oh * outWidth + ow] = Int32(bestIndex)
                    }
                }
            }
        }
    }

    /// The common 2×2/2 case, branch-free: comparisons of activations are unpredictable, and
    /// branching on them cost 19% of a training step.
    private func forward2x2(_ input: UnsafePointer<Float>, planes: Int, output: UnsafeMutablePointer<Float>,
                            argmax: UnsafeMutablePointer<Int32>) {
        let inPlane = height * width, outPlane = outHeight * outWidth
        let w = width
        for p in 0..<planes {
            let src = input + p * inPlane
            let dst = output + p * outPlane
            let idx = argmax + p * outPlane
            for oh in 0..<outHeight {
                let rowStart = 2 * oh * w
                let r0 = src + rowStart, r1 = r0 + w
                let d = dst + oh * outWidth, ix = idx + oh * outWidth
                for ow in 0..<outWidth {
                    let j = 2 * ow
                    let a = r0[j], b = r0[j + 1], c = r1[j], e = r1[j + 1]
                    let top = b > a, bottom = e > c
                    let m1 = top ? b : a, m2 = bottom ? e : c
                    let i1 = j + (top ? 1 : 0), i2 = w + j + (bottom ? 1 : 0)
                    let second = m2 > m1
                    d[ow] = second ? m2 : m1
                    ix[ow] = Int32(rowStart + (second ? i2 : i1))
                }
            }
        }
    }

    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, batch: Int,
                  weights: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, accumulate: Bool) {
        guard needsInputGradient else { return }
        let planes = channels * batch
        let inPlane = height * width, outPlane = outHeight * outWidth
        inputGradient.update(repeating: 0, count: planes * inPlane)
        argmax.withUnsafeBufferPointer { am in
            let arg = am.baseAddress!
            for p in 0..<planes {
                let dst = inputGradient + p * inPlane
                let g = outputGradient + p * outPlane
                let idx = arg + p * outPlane
                for i in 0..<outPlane { dst[Int(idx[i])] += g[i] }
            }
        }
    }
}
