/// Softmax cross-entropy on logits `[B, K]`, PyTorch's `CrossEntropyLoss` with mean reduction.
enum SoftmaxCrossEntropy {
    /// Writes `scale · (softmax(logits) − onehot(label))` into `gradient` (when given) and returns
    /// the summed (not averaged) loss of the rows and how many rows were classified correctly.
    static func evaluate(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int,
                         classes: Int, scale: Float,
                         gradient: UnsafeMutablePointer<Float>?) -> (lossSum: Double, correct: Int) {
        var lossSum = 0.0
        var correct = 0
        for r in 0..<batch {
            let row = logits + r * classes
            var maxValue = row[0], argmax = 0
            for k in 1..<max(classes, 1) where row[k] > maxValue { maxValue = row[k]; argmax = k }
            var sum = 0.0
            for k in 0..<classes { sum += Double(expf(row[k] - maxValue)) }
            let label = Int(labels[r])
            let logSum = Double(maxValue) + log(sum)
            lossSum += logSum - Double(row[label])
            if argmax == label { correct += 1 }
            if let gradient {
                let g = gradient + r * classes
                let inv = 1 / sum
                for k in 0..<classes {
                    let p = Float(Double(expf(row[k] - maxValue)) * inv)
                    g[k] = scale * (p - (k == label ? 1 : 0))
                }
            }
        }
        return (lossSum, correct)
    }
}

import Foundation
