import Foundation

/// PyTorch's Adam: `m = β₁m + (1−β₁)g`, `v = β₂v + (1−β₂)g²`,
/// `w −= lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)`, with `g = ∇ + λw`.
public final class Adam: Optimizer, @unchecked Sendable {
    /// Step size (changed between steps by learning-rate schedules).
    public var learningRate: Float
    /// Exponential decay rates of the moment estimates.
    public let beta1: Float, beta2: Float
    /// Denominator offset ε.
    public let epsilon: Float
    /// L2 penalty λ.
    public let weightDecay: Float
    private let m: AlignedBuffer, v: AlignedBuffer
    private var t = 0

    /// Creates the optimiser with zero moments.
    public init(parameterCount: Int, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay
        m = AlignedBuffer(count: parameterCount)
        v = AlignedBuffer(count: parameterCount)
    }

    public func beginStep() { t += 1 }

    public func update(_ range: Range<Int>, weights: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>) {
        let b1 = beta1, b2 = beta2, wd = weightDecay, eps = epsilon
        let c1 = 1 - pow(Double(b1), Double(t)), c2 = 1 - pow(Double(b2), Double(t))
        let stepSize = Float(Double(learningRate) / c1)
        let c2Root = Float(c2.squareRoot())
        let mp = m.pointer, vp = v.pointer
        for i in range {
            let g = gradient[i] + wd * weights[i]
            let mi = b1 * mp[i] + (1 - b1) * g
            let vi = b2 * vp[i] + (1 - b2) * g * g
            mp[i] = mi; vp[i] = vi
            weights[i] -= stepSize * mi / (vi.squareRoot() / c2Root + eps)
        }
    }
}
