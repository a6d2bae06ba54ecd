import Foundation

/// A server optimiser applied to the pseudo-gradient `mean − current` after averaging.
protocol ServerStep: AnyObject {
    /// The new global model.
    func apply(current: [Float], mean: [Float]) -> [Float]
    var state: [String: [Float]] { get }
    func restore(_ state: [String: [Float]]) throws
}

/// FedAvgM (Flower): `v = β·v + (current − mean)`, `w = current − η·v`.
final class ServerMomentum: ServerStep {
    let learningRate: Double, momentum: Double
    private var velocity: [Float] = []

    init(learningRate: Double, momentum: Double) { self.learningRate = learningRate; self.momentum = momentum }

    func apply(current: [Float], mean: [Float]) -> [Float] {
        if velocity.count != current.count { velocity = Array(repeating: 0, count: current.count) }
        let beta = Float(momentum), eta = Float(learningRate)
        var out = current
        for i in 0..<current.count {
            velocity[i] = beta * velocity[i] + (current[i] - mean[i])
            out[i] = current[i] - eta * velocity[i]
        }
        return out
    }

    var state: [String: [Float]] { ["velocity": velocity] }

    func restore(_ state: [String: [Float]]) throws { velocity = state["velocity"] ?? [] }
}

/// FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021) on `Δ = mean − current`:
/// `m = β₁m + (1−β₁)Δ`; `v` (from 0) accumulates Δ² (Adagrad), decays (Adam) or moves by Yogi's
/// sign rule; `w = current + η·m̂/(√v̂ + τ)`, where Adam's and Yogi's `m̂ = m/(1−β₁ᵗ)` and
/// `v̂ = v/(1−β₂ᵗ)` are bias-corrected (Adagrad: `m̂ = m`, `v̂ = v`). Flower's FedYogi skips the
/// bias correction and its FedAdam folds it into η; the first steps then differ, later ones converge.
final class AdaptiveServerStep: ServerStep {
    enum Rule: String { case adagrad, adam, yogi }
    let rule: Rule, eta: Double, beta1: Double, beta2: Double, tau: Double
    private var m: [Float] = [], v: [Float] = []
    private var t = 0

    init(rule: Rule, eta: Double, beta1: Double, beta2: Double, tau: Double) {
        self.rule = rule; self.eta = eta; self.beta1 = beta1; self.beta2 = beta2; self.tau = tau
    }

    func apply(current: [Float], mean: [Float]) -> [Float] {
        if m.count != current.count {
            m = Array(repeating: 0, count: current.count)
            v = Array(repeating: 0, count: current.count)
        }
        t += 1
        let b1 = Float(rule == .adagrad ? 0 : beta1), b2 = Float(beta2), tauF = Float(tau)
        let c1 = rule == .adagrad ? 1 : Float(1 - pow(beta1, Double(t)))
        let c2 = rule == .adagrad ? 1 : Float(1 - pow(beta2, Double(t)))
        let step = Float(eta) / c1
        var out = current
        for i in 0..<current.count {
            let d = mean[i] - current[i]
            m[i] = b1 * m[i] + (1 - b1) * d
            let d2 = d * d
            switch rule {
            case .adagrad: v[i] += d2
            case .adam: v[i] = b2 * v[i] + (1 - b2) * d2
            case .yogi: v[i] -= (1 - b2) * d2 * (v[i] - d2 > 0 ? 1 : (v[i] - d2 < 0 ? -1 : 0))
            }
            out[i] = current[i] + step * m[i] / ((max(v[i], 0) / c2).squareRoot() + tauF)
        }
        return out
    }

    var state: [String: [Float]] { ["m": m, "v": v, "t": [Float(t)]] }

    func restore(_ state: [String: [Float]]) throws {
        m = state["m"] ?? []
        v = state["v"] ?? []
        t = Int(state["t"]?.first ?? 0)
    }
}
