/// 2-D convolution by im2col and one SGEMM over the whole (per-worker) batch.
///
/// With activations in `[C, B, H, W]`, the im2col matrix is `[Cin·k·k, B·OH·OW]` and
/// `W[Cout, Cin·k·k] · col` is the output in `[Cout, B, OH, OW]` directly.
final class Conv2DKernel: LayerKernel {
    let inChannels, height, width, outChannels, kernel, stride, padding: Int
    let outHeight, outWidth: Int
    let weightOffset, biasOffset: Int
    var needsInputGradient = true
    private let col = AlignedBuffer(count: 0)
    private let columnGradient = AlignedBuffer(count: 0)
    private let out = AlignedBuffer(count: 0)

    /// Rows of the im2col matrix: input channels × kernel area.
    var patchSize: Int { inChannels * kernel * kernel }
    var output: UnsafeMutablePointer<Float> { out.pointer }
    var outputSize: Int { outChannels * outHeight * outWidth }

    init(inChannels: Int, height: Int, width: Int, outChannels: Int, kernel: Int, stride: Int,
         padding: Int, weightOffset: Int, biasOffset: Int) {
        self.inChannels = inChannels; self.height = height; self.width = width
        self.outChannels = outChannels; self.kernel = kernel; self.stride = stride; self.padding = padding
        self.outHeight = (height + 2 * padding - kernel) / stride + 1
        self.outWidth = (width + 2 * padding - kernel) / stride + 1
        self.weightOffset = weightOffset; self.biasOffset = biasOffset
    }

    func reserve(batch: Int) {
        let n = batch * outHeight * outWidth
        col.reserve(patchSize * n)
        out.reserve(outChannels * n)
        if needsInputGradient { columnGradient.reserve(patchSize * n) }
    }

    func forward(_ input: UnsafePointer<Float>, batch: Int, weights: UnsafePointer<Float>) {
        let n = batch * outHeight * outWidth
        im2col(input, batch: batch, col: col.pointer)
        sgemm(m: outChannels, n: n, k: patchSize, a: weights + weightOffset, lda: patchSize,
              b: col.pointer, ldb: n, c: out.pointer, ldc: n)
        addRowBias(out.pointer, rows: outChannels, columns: n, bias: weights + biasOffset)
    }

    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, batch: Int,
                  weights: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let n = batch * outHeight * outWidth
        // dW = dOut · colᵀ
        sgemm(transB: true, m: outChannels, n: patchSize, k: n, a: outputGradient, lda: n,
              b: col.pointer, ldb: n, beta: accumulate ? 1 : 0, c: gradients + weightOffset, ldc: patchSize)
        // db = row sums of dOut
        let gb = gradients + biasOffset
        for o in 0..<outChannels {
            let s = VectorMath.sum(outputGradient + o * n, count: n)
            gb[o] = accumulate ? gb[o] + s : s
        }
        guard needsInputGradient else { return }
        // dcol = Wᵀ · dOut, then scatter-add back to the input positions.
        sgemm(transA: true, m: patchSize, n: n, k: outChannels, a: weights + weightOffset, lda: patchSize,
              b: outputGradient, ldb: n, c: columnGradient.pointer, ldc: n)
        col2im(columnGradient.pointer, batch: batch, inputGradient: inputGradient)
    }

    /// Fills `col[(c,ki,kj), (b,oh,ow)] = input[c, b, oh·s − p + ki, ow·s − p + kj]` (0 outside).
    func im2col(_ input: UnsafePointer<Float>, batch: Int, col: UnsafeMutablePointer<Float>) {
        let n = batch * outHeight * outWidth
        let plane = height * width
        for c in 0..<inChannels {
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let dst = col + ((c * kernel + ki) * kernel + kj) * n
                    for b in 0..<batch {
                        let src = input + (c * batch + b) * plane
                        let dstImage = dst + b * outHeight * outWidth
                        for oh in 0..<outHeight {
                            let ih = oh * stride - padding + ki
                            let d = dstImage + oh * outWidth
                            if ih < 0 || ih >= height {
                                d.update(repeating: 0, count: outWidth)
                                continue
                            }
                            let s = src + ih * width
                            if stride == 1 && padding == 0 {
                                d.update(from: s + kj, count: outWidth)
                            } else {
                                for ow in 0..<outWidth {
                                    let iw = ow * stride - padding + kj
                                    d[ow] = (iw >= 0 && iw < width) ? s[iw] : 0
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: accumulates column gradients into the (zeroed) input gradient.
    func col2im(_ col: UnsafePointer<Float>, batch: Int, inputGradient: UnsafeMutablePointer<Float>) {
        let n = batch * outHeight * outWidth
        let plane = height * width
        inputGradient.update(repeating: 0, count: inChannels * batch * plane)
        for c in 0..<inChannels {
            for ki in 0..<kernel {
                for kj in 0..<kernel {
                    let src = col + ((c * kernel + ki) * kernel + kj) * n
                    for b in 0..<batch {
                        let dstImage = inputGradient + (c * batch + b) * plane
                        let srcImage = src + b * outHeight * outWidth
                        for oh in 0..<outHeight {
                            let ih = oh * stride - padding + ki
                            if ih < 0 || ih >= height { continue }
                            let d = dstImage + ih * width
                            let s = srcImage + oh * outWidth
                            if stride == 1 && padding == 0 {
                                let dk = d + kj
                                for ow in 0..<outWidth { dk[ow] += s[ow] }
                            } else {
                                for ow in 0..<outWidth {
                                    let iw = ow * stride - padding + kj
                                    if iw >= 0 && iw < width { d[iw] += s[ow] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
