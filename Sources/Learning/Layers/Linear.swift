/// Fully connected layer on `[B, in]` activations: `out = in · Wᵀ + b` with `W` as `[out, in]`.
final class LinearKernel: LayerKernel {
    let inFeatures, outFeatures: Int
    let weightOffset, biasOffset: Int
    var needsInputGradient = true
    private let out = AlignedBuffer(count: 0)

    var output: UnsafeMutablePointer<Float> { out.pointer }
    var outputSize: Int { outFeatures }

    init(inFeatures: Int, outFeatures: Int, weightOffset: Int, biasOffset: Int) {
        self.inFeatures = inFeatures; self.outFeatures = outFeatures
        self.weightOffset = weightOffset; self.biasOffset = biasOffset
    }

    func reserve(batch: Int) { out.reserve(batch * outFeatures) }

    func forward(_ input: UnsafePointer<Float>, batch: Int, weights: UnsafePointer<Float>) {
        sgemm(transB: true, m: batch, n: outFeatures, k: inFeatures, a: input, lda: inFeatures,
              b: weights + weightOffset, ldb: inFeatures, c: out.pointer, ldc: outFeatures)
        addColumnBias(out.pointer, rows: batch, columns: outFeatures, bias: weights + biasOffset)
    }

    func backward(input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>, batch: Int,
                  weights: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>, accumulate: Bool) {
        // dW = dOutᵀ · in
        sgemm(transA: true, m: outFeatures, n: inFeatures, k: batch, a: outputGradient, lda: outFeatures,
              b: input, ldb: inFeatures, beta: accumulate ? 1 : 0, c: gradients + weightOffset, ldc: inFeatures)
        // db = column sums of dOut
        let gb = gradients + biasOffset
        if !accumulate { gb.update(repeating: 0, count: outFeatures) }
        for r in 0..<batch {
            let row = outputGradient + r * outFeatures
            for o in 0..<outFeatures { gb[o] += row[o] }
        }
        guard needsInputGradient else { return }
        // dIn = dOut · W
        sgemm(m: batch, n: inFeatures, k: outFeatures, a: outputGradient, lda: outFeatures,
              b: weights + weightOffset, ldb: inFeatures, c: inputGradient, ldc: inFeatures)
    }
}
