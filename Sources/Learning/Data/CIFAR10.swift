import Foundation

/// Loads the binary version of CIFAR-10 (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`):
/// records of one label byte and 3,072 pixel bytes (1,024 red, then green, then blue, 32×32).
public enum CIFAR10 {
    /// The class names.
    public static let classes = ["airplane", "automobile", "bird", "cat", "deer",
                                 "dog", "frog", "horse", "ship", "truck"]
    static let recordSize = 1 + 3 * 32 * 32

    /// Loads the training and test files from `directory`. Nothing is downloaded.
    public static func load(directory: String) throws -> DataSplit {
        let trainFiles = (1...5).map { "\(directory)/data_batch_\($0).bin" }
        let testFile = "\(directory)/test_batch.bin"
        for f in trainFiles + [testFile] where !FileManager.default.fileExists(atPath: f) {
            throw LearningError.missingDataset(
                name: "cifar10",
                hint: "\(f) is missing; --data-dir must hold the binary CIFAR-10 files data_batch_1.bin … data_batch_5.bin and test_batch.bin (cifar-10-binary.tar.gz)")
        }
        return DataSplit(train: try read(trainFiles), test: try read([testFile]))
    }

    /// Reads and concatenates record files.
    public static func read(_ paths: [String]) throws -> ImageDataset {
        var pixels = [UInt8](), labels = [Int32]()
        for path in paths {
            let bytes = try CompressedFile.read(path)
            guard bytes.count % recordSize == 0, !bytes.isEmpty else {
                throw LearningError.invalidDataFile(
                    path: path, offset: bytes.count - bytes.count % recordSize,
                    problem: "size \(bytes.count) is not a whole number of \(recordSize)-byte records (truncated?)")
            }
            pixels.reserveCapacity(pixels.count + bytes.count)
            for r in 0..<(bytes.count / recordSize) {
                let base = r * recordSize
                guard bytes[base] < 10 else {
                    throw LearningError.invalidDataFile(path: path, offset: base, problem: "label \(bytes[base]) outside 0..<10")
                }
                labels.append(Int32(bytes[base]))
                pixels.append(contentsOf: bytes[(base + 1)..<(base + recordSize)])
            }
        }
        return try ImageDataset(name: "cifar10", sampleShape: [3, 32, 32], pixels: pixels, labels: labels,
                                classNames: classes, normalization: .cifar10)
    }
}
