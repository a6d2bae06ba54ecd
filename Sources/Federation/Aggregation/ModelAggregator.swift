/// Combines client (or local-aggregator) models into one, round after round.
///
/// A round is `begin(current:)`, any number of `add(_:weight:)`, then `finish()`. Streaming
/// aggregators (means) keep one float64 accumulator whatever the number of updates; robust ones
/// (median, trimmed mean, Krum) keep the round's updates. Server optimisers keep state across
/// rounds, exported by `state` for checkpoints.
public protocol ModelAggregator: AnyObject {
    /// Starts a round from the current model.
    func begin(current: [Float])
    /// Adds one update (a full model) with its weight (e.g. its example count).
    func add(_ update: UnsafeBufferPointer<Float>, weight: Double)
    /// The aggregated model, or `nil` when no update arrived (the caller keeps its model).
    func finish() -> [Float]?
    /// State that must survive a checkpoint (server momentum, moments), by name.
    var state: [String: [Float]] { get }
    /// Restores `state` from a checkpoint.
    func restore(_ state: [String: [Float]]) throws
}

/// The weighted mean of the updates, in float64, optionally followed by a server optimiser step
/// on the pseudo-gradient (FedAvgM, FedAdagrad, FedAdam, FedYogi).
final class MeanAggregator: ModelAggregator {
    private var accumulator: [Double]
    private var totalWeight = 0.0
    private var current: [Float] = []
    private let step: ServerStep?

    init(parameterCount: Int, step: ServerStep?) {
        accumulator = Array(repeating: 0, count: parameterCount)
        self.step = step
    }

    func begin(current: [Float]) {
        self.current = current
        totalWeight = 0
        accumulator.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    func add(_ update: UnsafeBufferPointer<Float>, weight: Double) {
        guard weight > 0, update.count == accumulator.count else { return }
        totalWeight += weight
        accumulator.withUnsafeMutableBufferPointer { acc in
            WeightedMean.accumulate(update, weight: weight, into: acc)
        }
    }

    func finish() -> [Float]? {
        guard totalWeight > 0 else { return nil }
        let scale = 1 / totalWeight
        var mean = [Float](repeating: 0, count: accumulator.count)
        accumulator.withUnsafeBufferPointer { acc in
            mean.withUnsafeMutableBufferPointer { m in
                for i in 0..<m.count { m[i] = Float(acc[i] * scale) }
            }
        }
        return step?.apply(current: current, mean: mean) ?? mean
    }

    var state: [String: [Float]] { step?.state ?? [:] }

    func restore(_ state: [String: [Float]]) throws { try step?.restore(state) }
}
