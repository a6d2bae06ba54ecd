import Foundation
import Testing
@testable import Learning

@Suite("Data sets")
struct DatasetTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "aiotwin-data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func idx(dims: [Int], payload: [UInt8], magicDims: Int? = nil) -> [UInt8] {
        var b: [UInt8] = [0, 0, 8, UInt8(magicDims ?? dims.count)]
        for d in dims { b += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return b + payload
    }

    func write(_ name: String, _ bytes: [UInt8], gzip: Bool = false) throws {
        let path = "\(dir)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if gzip {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/gzip")
            p.arguments = ["-f", path]
            try p.run(); p.waitUntilExit()
        }
    }

    /// A 5-image, 3×4 MNIST-format data set with known pixels and labels.
    func writeTinyMNIST(gzip: Bool) throws -> (pixels: [UInt8], labels: [UInt8]) {
        let pixels = (0..<(5 * 12)).map { UInt8(($0 * 7) % 256) }
        let labels: [UInt8] = [3, 1, 4, 1, 5]
        for prefix in ["train", "t10k"] {
            try write("\(prefix)-images-idx3-ubyte", idx(dims: [5, 3, 4], payload: pixels), gzip: gzip)
            try write("\(prefix)-labels-idx1-ubyte", idx(dims: [5], payload: labels), gzip: gzip)
        }
        return (pixels, labels)
    }

    @Test("IDX files are read, gzip'd or not", arguments: [false, true])
    func readsIDX(gzip: Bool) throws {
        let (pixels, labels) = try writeTinyMNIST(gzip: gzip)
        let split = try MNISTFormat.mnist(directory: dir)
        #expect(split.train.count == 5 && split.test.count == 5)
        #expect(split.train.sampleShape == [1, 3, 4])
        #expect(split.train.pixels == pixels)
        #expect(split.train.labels == labels.map { Int32($0) })
        // Normalisation: (x/255 − 0.1307)/0.3081 for MNIST.
        let first = split.train.sample(1).values
        for i in 0..<12 {
            let expected = (Float(pixels[12 + i]) / 255 - 0.1307) / 0.3081
            #expect(abs(first[i] - expected) < 1e-6)
        }
    }

    @Test("a wrong magic number names the file and offset 0")
    func badMagic() throws {
        _ = try writeTinyMNIST(gzip: false)
        try write("train-images-idx3-ubyte", idx(dims: [5, 3, 4], payload: Array(repeating: 0, count: 60), magicDims: 2))
        let error = try #require(throws: LearningError.self) { try MNISTFormat.mnist(directory: dir) }
        #expect("\(error)".contains("train-images-idx3-ubyte"))
        #expect("\(error)".contains("offset 0"))
        #expect("\(error)".contains("magic"))
    }

    @Test("a truncated file names the file and where the data ends")
    func truncated() throws {
        _ = try writeTinyMNIST(gzip: false)
        let full = idx(dims: [5, 3, 4], payload: Array(repeating: 1, count: 60))
        try write("t10k-images-idx3-ubyte", Array(full.prefix(full.count - 7)))
        let error = try #require(throws: LearningError.self) { try MNISTFormat.mnist(directory: dir) }
        #expect("\(error)".contains("t10k-images-idx3-ubyte"))
        #expect("\(error)".contains("offset \(full.count - 7)"))
        #expect("\(error)".contains("truncated"))
    }

    @Test("corrupt and truncated gzip data name the file and the compressed offset")
    func corruptGzip() throws {
        _ = try writeTinyMNIST(gzip: true)
        let path = "\(dir)/train-labels-idx1-ubyte.gz"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // The last 8 bytes are CRC-32 and size; the deflate data ends just before them (the header
        // holds the original file name, so its bytes would not be checked).
        bytes[bytes.count - 10] ^= 0x5A
        bytes[bytes.count - 6] ^= 0x5A
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let corrupt = try #require(throws: LearningError.self) { try MNISTFormat.mnist(directory: dir) }
        #expect("\(corrupt)".contains("train-labels-idx1-ubyte.gz"))
        #expect("\(corrupt)".contains("offset"))

        _ = try writeTinyMNIST(gzip: true)
        let images = "\(dir)/train-images-idx3-ubyte.gz"
        let whole = try Data(contentsOf: URL(fileURLWithPath: images))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: images))
        let cut = try #require(throws: LearningError.self) { try MNISTFormat.mnist(directory: dir) }
        #expect("\(cut)".contains("truncated gzip"))
        #expect("\(cut)".contains("train-images-idx3-ubyte.gz"))
    }

    @Test("a missing data set says which files are expected")
    func missing() throws {
        let error = try #require(throws: LearningError.self) { try MNISTFormat.mnist(directory: dir + "/nothing") }
        #expect("\(error)".contains("train-images-idx3-ubyte"))
        let fashion = try #require(throws: LearningError.self) { try MNISTFormat.fashionMNIST(directory: dir + "/nothing") }
        #expect("\(fashion)".contains("fashion-mnist"))
    }

    @Test("CIFAR-10 binary records: label byte, then red, green and blue planes")
    func cifar() throws {
        var records: [UInt8] = []
        for r in 0..<3 {
            records.append(UInt8(r * 3))
            for c in 0..<3 { records += Array(repeating: UInt8(10 * c + r), count: 1024) }
        }
        for i in 1...5 { try write("data_batch_\(i).bin", records) }
        try write("test_batch.bin", records)
        let split = try CIFAR10.load(directory: dir)
        #expect(split.train.count == 15 && split.test.count == 3)
        #expect(split.train.sampleShape == [3, 32, 32])
        #expect(split.test.labels == [0, 3, 6])
        let px = split.test.pixels
        #expect(px[3072 * 2 + 1024 * 1 + 5] == 12)  // record 2, green plane
        try write("test_batch.bin", Array(records.dropLast(100)))
        let error = try #require(throws: LearningError.self) { try CIFAR10.load(directory: dir) }
        #expect("\(error)".contains("test_batch.bin"))
        try write("test_batch.bin", [11] + Array(records.dropFirst()))
        let label = try #require(throws: LearningError.self) { try CIFAR10.load(directory: dir) }
        #expect("\(label)".contains("offset 0") && "\(label)".contains("label 11"))
    }

    @Test("the synthetic data set is seeded and balanced")
    func synthetic() throws {
        let a = try SyntheticDataset.make(classes: 5, shape: [3, 8, 8], trainCount: 100, testCount: 20, seed: 4)
        let b = try SyntheticDataset.make(classes: 5, shape: [3, 8, 8], trainCount: 100, testCount: 20, seed: 4)
        let c = try SyntheticDataset.make(classes: 5, shape: [3, 8, 8], trainCount: 100, testCount: 20, seed: 5)
        #expect(a.train.pixels == b.train.pixels)
        #expect(a.train.pixels != c.train.pixels)
        #expect(a.train.classHistogram() == [20, 20, 20, 20, 20])
    }

    @Test("Fashion-MNIST from Debian's package: 60,000 + 10,000 images, 6,000 and 1,000 per class",
          .enabled(if: FileManager.default.fileExists(atPath: MNISTFormat.fashionMNISTDirectory)))
    func fashionMNIST() throws {
        let split = try MNISTFormat.fashionMNIST()
        #expect(split.train.count == 60_000 && split.test.count == 10_000)
        #expect(split.train.classHistogram() == Array(repeating: 6000, count: 10))
        #expect(split.test.classHistogram() == Array(repeating: 1000, count: 10))
        #expect(split.train.sampleShape == [1, 28, 28])
    }
}
