/// A labelled image data set kept as 8-bit pixels, normalised on the fly when batches are built.
///
/// Keeping pixels as bytes is 4× smaller than Float32 (47 MB for Fashion-MNIST's training set)
/// and normalisation through a 256-entry table per channel costs nothing measurable.
public struct ImageDataset: Sendable {
    /// A short name (`fashion-mnist`, `cifar10`, `synthetic`).
    public let name: String
    /// The per-sample shape `[C, H, W]`.
    public let sampleShape: [Int]
    /// Pixels, sample-major, each sample `C×H×W` row-major.
    public let pixels: [UInt8]
    /// Class labels in `0..<classNames.count`.
    public let labels: [Int32]
    /// Human-readable class names.
    public let classNames: [String]
    /// Per-channel normalisation applied to `pixel / 255`.
    public let normalization: Normalization
    /// `lookup[c * 256 + v]` = normalised value of byte `v` in channel `c`.
    private let lookup: [Float]

    /// Creates a data set, checking sizes and labels.
    public init(name: String, sampleShape: [Int], pixels: [UInt8], labels: [Int32],
                classNames: [String], normalization: Normalization) throws {
        let sampleSize = sampleShape.reduce(1, *)
        guard sampleShape.count == 3, sampleSize > 0 else {
            throw LearningError.invalidArgument("data set \(name): sample shape must be C×H×W, found \(Shape.describe(sampleShape))")
        }
        guard pixels.count == sampleSize * labels.count else {
            throw LearningError.shapeMismatch(context: "data set \(name)", expected: "\(labels.count) samples of \(Shape.describe(sampleShape))",
                                              found: "\(pixels.count) pixel bytes")
        }
        guard normalization.mean.count == sampleShape[0], normalization.std.count == sampleShape[0],
              normalization.std.allSatisfy({ $0 > 0 }) else {
            throw LearningError.invalidArgument("data set \(name): normalisation needs one mean and one positive std per channel (\(sampleShape[0]))")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classNames.count }) {
            throw LearningError.invalidArgument("data set \(name): sample \(bad) has label \(labels[bad]) outside 0..<\(classNames.count)")
        }
        self.name = name
        self.sampleShape = sampleShape
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
        self.normalization = normalization
        var table = [Float](repeating: 0, count: sampleShape[0] * 256)
        for c in 0..<sampleShape[0] {
            for v in 0..<256 {
                table[c * 256 + v] = (Float(v) / 255 - normalization.mean[c]) / normalization.std[c]
            }
        }
        self.lookup = table
    }

    /// The number of samples.
    public var count: Int { labels.count }
    /// The number of classes.
    public var classCount: Int { classNames.count }
    /// Elements per sample (C·H·W).
    public var sampleSize: Int { sampleShape.reduce(1, *) }

    /// How many samples of each class `indices` holds (all samples when `nil`).
    public func classHistogram(_ indices: [Int]? = nil) -> [Int] {
        var h = [Int](repeating: 0, count: classCount)
        if let indices { for i in indices { h[Int(labels[i])] += 1 } } else { for l in labels { h[Int(l)] += 1 } }
        return h
    }

    /// The samples at `indices` as a new data set (for tests and small experiments).
    public func subset(_ indices: [Int]) throws -> ImageDataset {
        let s = sampleSize
        var px = [UInt8](); px.reserveCapacity(indices.count * s)
        for i in indices { px.append(contentsOf: pixels[(i * s)..<((i + 1) * s)]) }
        return try ImageDataset(name: name, sampleShape: sampleShape, pixels: px, labels: indices.map { labels[$0] },
                                classNames: classNames, normalization: normalization)
    }

    /// One sample as a normalised `C×H×W` tensor.
    public func sample(_ index: Int) -> Tensor {
        let s = sampleSize, plane = s / sampleShape[0]
        var v = [Float](repeating: 0, count: s)
        for i in 0..<s { v[i] = lookup[(i / plane) * 256 + Int(pixels[index * s + i])] }
        return Tensor(shapeUnchecked: sampleShape, values: v)
    }

    /// Writes the normalised samples at `indices` in the engine's channel-major batch layout
    /// `[C, B, H, W]`, and their labels.
    func gatherChannelMajor(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>,
                            labels labelsOut: UnsafeMutablePointer<Int32>) {
        let channels = sampleShape[0], plane = sampleShape[1] * sampleShape[2]
        let batch = indices.count, s = sampleSize
        pixels.withUnsafeBufferPointer { px in
            lookup.withUnsafeBufferPointer { lut in
                for (b, index) in indices.enumerated() {
                    labelsOut[b] = labels[index]
                    for c in 0..<channels {
                        let src = px.baseAddress! + index * s + c * plane
                        let table = lut.baseAddress! + c * 256
                        let dst = out + (c * batch + b) * plane
                        for i in 0..<plane { dst[i] = table[Int(src[i])] }
                    }
                }
            }
        }
    }
}

/// Per-channel normalisation `(x − mean) / std` of pixels scaled to [0, 1].
public struct Normalization: Sendable, Equatable, Codable {
    /// Mean per channel.
    public var mean: [Float]
    /// Standard deviation per channel.
    public var std: [Float]

    /// Creates a normalisation.
    public init(mean: [Float], std: [Float]) { self.mean = mean; self.std = std }

    /// Fashion-MNIST's training-set statistics.
    public static let fashionMNIST = Normalization(mean: [0.2860], std: [0.3530])
    /// MNIST's training-set statistics.
    public static let mnist = Normalization(mean: [0.1307], std: [0.3081])
    /// CIFAR-10's per-channel statistics, as the anchor uses them.
    public static let cifar10 = Normalization(mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616])
}

/// A training set and its test set.
public struct DataSplit: Sendable {
    /// Training samples.
    public let train: ImageDataset
    /// Held-out test samples.
    public let test: ImageDataset

    /// Pairs a training and a test set.
    public init(train: ImageDataset, test: ImageDataset) { self.train = train; self.test = test }
}

extension Tensor {
    /// Internal initialiser for shapes known to match.
    init(shapeUnchecked shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}
