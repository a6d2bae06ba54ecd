import Testing
@testable import Learning

/// Optimisers against PyTorch's update rules, written out here step by step.
@Suite("Optimisers")
struct OptimizerTests {
    func run(_ config: OptimizerConfig, weights: [Float], gradients: [[Float]]) -> [Float] {
        let opt = config.make(parameterCount: weights.count)
        var w = weights
        let n = weights.count
        for g in gradients {
            opt.beginStep()
            w.withUnsafeMutableBufferPointer { wp in
                g.withUnsafeBufferPointer { gp in
                    // Two ranges, as the trainer splits the vector between threads.
                    opt.update(0..<1, weights: wp.baseAddress!, gradient: gp.baseAddress!)
                    opt.update(1..<n, weights: wp.baseAddress!, gradient: gp.baseAddress!)
                }
            }
        }
        return w
    }

    let gradients: [[Float]] = [[0.5, -1, 2], [0.25, 0.5, -1], [-0.5, 1, 0.125]]

    @Test("SGD with momentum, weight decay and Nesterov")
    func sgd() {
        for nesterov in [false, true] {
            let (lr, mu, wd): (Double, Double, Double) = (0.1, 0.9, 0.01)
            var w: [Double] = [1, -2, 3], v: [Double] = [0, 0, 0]
            for (step, g) in gradients.enumerated() {
                for i in 0..<3 {
                    let d = Double(g[i]) + wd * w[i]
                    v[i] = step == 0 ? d : mu * v[i] + d
                    w[i] -= lr * (nesterov ? d + mu * v[i] : v[i])
                }
            }
            let got = run(.sgd(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: nesterov), weights: [1, -2, 3], gradients: gradients)
            for i in 0..<3 { #expect(abs(Double(got[i]) - w[i]) < 1e-5) }
        }
    }

    @Test("plain SGD")
    func plain() {
        let got = run(.sgd(learningRate: 0.5), weights: [1, 1, 1], gradients: [[1, 2, 3]])
        #expect(got == [0.5, 0, -0.5])
    }

    @Test("Adam with bias correction")
    func adam() {
        let (lr, b1, b2, eps, wd): (Double, Double, Double, Double, Double) = (0.01, 0.9, 0.999, 1e-8, 0.1)
        var w: [Double] = [1, -2, 3], m: [Double] = [0, 0, 0], v: [Double] = [0, 0, 0]
        for (t, g) in gradients.enumerated() {
            for i in 0..<3 {
                let d = Double(g[i]) + wd * w[i]
                m[i] = b1 * m[i] + (1 - b1) * d
                v[i] = b2 * v[i] + (1 - b2) * d * d
                let mh = m[i] / (1 - pow(b1, Double(t + 1))), vh = v[i] / (1 - pow(b2, Double(t + 1)))
                w[i] -= lr * mh / (vh.squareRoot() + eps)
            }
        }
        let got = run(.adam(learningRate: 0.01, weightDecay: 0.1), weights: [1, -2, 3], gradients: gradients)
        for i in 0..<3 { #expect(abs(Double(got[i]) - w[i]) < 1e-5) }
    }

    @Test("learning-rate schedules")
    func schedules() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, epoch: 3, epochs: 5) == 0.1)
        #expect(LearningRateSchedule.cosine.rate(base: 0.1, epoch: 0, epochs: 4) == 0.1)
        #expect(abs(LearningRateSchedule.cosine.rate(base: 0.1, epoch: 2, epochs: 4) - 0.05) < 1e-7)
        let expected: Float = 0.1 * (1 - Float(0.5).squareRoot()) / 2  // cos(3π/4) = −√½
        #expect(abs(LearningRateSchedule.cosine.rate(base: 0.1, epoch: 3, epochs: 4) - expected) < 1e-7)
        #expect(LearningRateSchedule.step.rate(base: 1, epoch: 1, epochs: 4) == 1)
        #expect(abs(LearningRateSchedule.step.rate(base: 1, epoch: 2, epochs: 4) - 0.1) < 1e-7)
        #expect(abs(LearningRateSchedule.step.rate(base: 1, epoch: 3, epochs: 4) - 0.01) < 1e-7)
    }

    @Test("invalid hyper-parameters are rejected")
    func validation() {
        #expect(throws: LearningError.self) { try OptimizerConfig.sgd(learningRate: 0).validate() }
        #expect(throws: LearningError.self) { try OptimizerConfig.sgd(learningRate: 0.1, momentum: 1).validate() }
        #expect(throws: LearningError.self) { try OptimizerConfig.adam(learningRate: 0.1, beta1: 1).validate() }
        #expect(throws: Never.self) { try OptimizerConfig.adam(learningRate: 0.001).validate() }
    }
}

import Foundation
