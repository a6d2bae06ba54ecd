import Foundation

/// A seeded synthetic image classification task for tests and quick experiments.
///
/// Each class has a prototype made of a few Gaussian blobs; a sample is its class prototype,
/// shifted by up to ±2 pixels, with pixel noise, quantised to bytes. It is learnable by a CNN in
/// a few epochs but not by a nearest-pixel rule alone.
public enum SyntheticDataset {
    /// Makes a train/test split.
    public static func make(classes: Int = 10, shape: [Int] = [1, 28, 28], trainCount: Int = 6000,
                            testCount: Int = 1000, noise: Double = 0.25, seed: UInt64 = 1) throws -> DataSplit {
        guard classes >= 2, shape.count == 3, shape.allSatisfy({ $0 > 0 }), trainCount >= 0, testCount >= 0 else {
            throw LearningError.invalidArgument("synthetic data set needs at least 2 classes, a C×H×W shape and non-negative counts")
        }
        let (c, h, w) = (shape[0], shape[1], shape[2])
        var rng = SeededGenerator(seed: seed, label: "synthetic")
        // Prototypes in [0, 1].
        var prototypes = [[Double]](repeating: [Double](repeating: 0, count: c * h * w), count: classes)
        for k in 0..<classes {
            for _ in 0..<3 {
                let cy = rng.uniform() * Double(h), cx = rng.uniform() * Double(w)
                let sigma = 1.5 + rng.uniform() * Double(min(h, w)) / 6
                let channelWeights = (0..<c).map { _ in 0.4 + 0.6 * rng.uniform() }
                for ch in 0..<c {
                    for y in 0..<h {
                        for x in 0..<w {
                            let d2 = (Double(y) - cy) * (Double(y) - cy) + (Double(x) - cx) * (Double(x) - cx)
                            prototypes[k][(ch * h + y) * w + x] += channelWeights[ch] * exp(-d2 / (2 * sigma * sigma))
                        }
                    }
                }
            }
        }
        func generate(_ count: Int, label: String) throws -> ImageDataset {
            var g = SeededGenerator(seed: seed, label: label)
            var pixels = [UInt8](repeating: 0, count: count * c * h * w)
            var labels = [Int32](repeating: 0, count: count)
            for i in 0..<count {
                let k = i % classes
                labels[i] = Int32(k)
                let dy = g.int(below: 5) - 2, dx = g.int(below: 5) - 2
                for ch in 0..<c {
                    for y in 0..<h {
                        for x in 0..<w {
                            let sy = min(max(y + dy, 0), h - 1), sx = min(max(x + dx, 0), w - 1)
                            let v = prototypes[k][(ch * h + sy) * w + sx] + noise * g.normal()
                            pixels[((i * c + ch) * h + y) * w + x] = UInt8(max(0, min(255, (v * 255).rounded())))
                        }
                    }
                }
            }
            return try ImageDataset(name: "synthetic", sampleShape: shape, pixels: pixels, labels: labels,
                                    classNames: (0..<classes).map { "class \($0)" },
                                    normalization: Normalization(mean: Array(repeating: 0.3, count: c),
                                                                 std: Array(repeating: 0.3, count: c)))
        }
        return DataSplit(train: try generate(trainCount, label: "synthetic-train"),
                         test: try generate(testCount, label: "synthetic-test"))
    }
}
