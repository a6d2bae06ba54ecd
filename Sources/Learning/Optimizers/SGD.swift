/// PyTorch's SGD: `g = ∇ + λw`; with momentum `v = μv + g` (`v = g` on the first step);
/// Nesterov uses `g + μv`; then `w −= lr·g`.
public final class SGD: Optimizer, @unchecked Sendable {
    /// Step size (changed between steps by learning-rate schedules).
    public var learningRate: Float
    /// Momentum factor μ (0 for plain SGD).
    public let momentum: Float
    /// L2 penalty λ.
    public let weightDecay: Float
    /// Whether to use Nesterov momentum.
    public let nesterov: Bool
    private let velocity: AlignedBuffer
    private var firstStep = true
    private var stepStarted = false

    /// Creates the optimiser with zero momentum buffers.
    public init(parameterCount: Int, learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.velocity = AlignedBuffer(count: momentum > 0 ? parameterCount : 0)
    }

    public func beginStep() {
        if stepStarted { firstStep = false }
        stepStarted = true
    }

    public func update(_ range: Range<Int>, weights: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>) {
        let lr = learningRate, wd = weightDecay, mu = momentum
        if mu == 0 {
            for i in range { weights[i] -= lr * (gradient[i] + wd * weights[i]) }
            return
        }
        let v = velocity.pointer
        if firstStep {
            for i in range {
                let g = gradient[i] + wd * weights[i]
                v[i] = g
                weights[i] -= lr * (nesterov ? g + mu * g : g)
            }
        } else {
            for i in range {
                let g = gradient[i] + wd * weights[i]
                let vi = mu * v[i] + g
                v[i] = vi
                weights[i] -= lr * (nesterov ? g + mu * vi : vi)
            }
        }
    }
}
