@testable import Learning

/// Small random data sets for layer tests: uniform bytes, random labels, fixed seeds.
enum TestData {
    static func random(shape: [Int], count: Int, classes: Int = 10, seed: UInt64 = 3) throws -> ImageDataset {
        var rng = SeededGenerator(seed: seed)
        let size = shape.reduce(1, *)
        return try ImageDataset(
            name: "random", sampleShape: shape,
            pixels: (0..<(count * size)).map { _ in UInt8(rng.int(below: 256)) },
            labels: (0..<count).map { _ in Int32(rng.int(below: classes)) },
            classNames: (0..<classes).map(String.init),
            normalization: Normalization(mean: Array(repeating: 0.5, count: shape[0]), std: Array(repeating: 0.5, count: shape[0])))
    }

    /// The normalised input of sample `i` as the network sees it, `[C, H, W]` row-major.
    static func input(_ data: ImageDataset, _ i: Int) -> [Float] { data.sample(i).values }
}
