/// Updates parameters from gradients. One instance per training session; its state (momentum,
/// moments) lives in buffers the size of the parameter vector.
///
/// `update` is called on disjoint ranges of the parameter vector from several threads in the
/// same step, so implementations touch only the elements of their range.
public protocol Optimizer: AnyObject, Sendable {
    /// The step size; schedules change it between steps.
    var learningRate: Float { get set }
    /// Starts a new step (advances step counters such as Adam's bias correction).
    func beginStep()
    /// Applies the update to `weights[range]` from `gradient[range]`.
    func update(_ range: Range<Int>, weights: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>)
}

/// An optimiser and its hyper-parameters, as data.
public enum OptimizerConfig: Sendable, Equatable, Codable {
    /// Stochastic gradient descent, PyTorch's `torch.optim.SGD`.
    case sgd(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false)
    /// Adam, PyTorch's `torch.optim.Adam` (L2 weight decay added to the gradient).
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0)

    /// A fresh optimiser for `parameterCount` parameters.
    public func make(parameterCount: Int) -> Optimizer {
        switch self {
        case let .sgd(lr, m, wd, nesterov):
            return SGD(parameterCount: parameterCount, learningRate: lr, momentum: m, weightDecay: wd, nesterov: nesterov)
        case let .adam(lr, b1, b2, eps, wd):
            return Adam(parameterCount: parameterCount, learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
        }
    }

    /// The learning rate.
    public var learningRate: Float {
        switch self {
        case let .sgd(lr, _, _, _): return lr
        case let .adam(lr, _, _, _, _): return lr
        }
    }

    /// Checks the hyper-parameters.
    public func validate() throws {
        switch self {
        case let .sgd(lr, m, wd, nesterov):
            guard lr > 0, lr.isFinite else { throw LearningError.invalidArgument("learning rate must be positive, found \(lr)") }
            guard m >= 0, m < 1 else { throw LearningError.invalidArgument("momentum must be in [0, 1), found \(m)") }
            guard wd >= 0 else { throw LearningError.invalidArgument("weight decay must be non-negative, found \(wd)") }
            if nesterov && m == 0 { throw LearningError.invalidArgument("Nesterov momentum requires a momentum > 0") }
        case let .adam(lr, b1, b2, eps, wd):
            guard lr > 0, lr.isFinite else { throw LearningError.invalidArgument("learning rate must be positive, found \(lr)") }
            guard (0..<1).contains(b1), (0..<1).contains(b2) else { throw LearningError.invalidArgument("Adam betas must be in [0, 1)") }
            guard eps > 0, wd >= 0 else { throw LearningError.invalidArgument("Adam epsilon must be positive and weight decay non-negative") }
        }
    }
}
