import Foundation

/// Loads MNIST-format data sets (Fashion-MNIST, MNIST) from a directory of IDX files.
public enum MNISTFormat {
    /// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// Fashion-MNIST's class names.
    public static let fashionMNISTClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                             "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// The four files of the format (each may or may not end in `.gz`).
    static let files = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

    /// Loads Fashion-MNIST, by default from Debian's package.
    public static func fashionMNIST(directory: String? = nil) throws -> DataSplit {
        try load(name: "fashion-mnist", directory: directory ?? fashionMNISTDirectory,
                 classNames: fashionMNISTClasses, normalization: .fashionMNIST,
                 missingHint: directory == nil
                    ? "install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data-dir DIR"
                    : nil)
    }

    /// Loads MNIST from a directory holding the four IDX files.
    public static func mnist(directory: String) throws -> DataSplit {
        try load(name: "mnist", directory: directory, classNames: (0..<10).map(String.init),
                 normalization: .mnist, missingHint: nil)
    }

    /// Loads a data set in MNIST format from `directory`.
    public static func load(name: String, directory: String, classNames: [String],
                            normalization: Normalization, missingHint: String?) throws -> DataSplit {
        var paths: [String] = []
        for f in files {
            let candidates = ["\(directory)/\(f).gz", "\(directory)/\(f)"]
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                let expected = files.map { $0 + ".gz" }.joined(separator: ", ")
                throw LearningError.missingDataset(
                    name: name,
                    hint: missingHint.map { "\(directory) lacks \(f).gz; \($0)" }
                        ?? "\(directory) must hold \(expected) (gzip'd or not)")
            }
            paths.append(found)
        }
        func split(_ imagesPath: String, _ labelsPath: String) throws -> ImageDataset {
            let images = try IDXFile(path: imagesPath, expectedDimensions: 3)
            let labels = try IDXFile(path: labelsPath, expectedDimensions: 1)
            guard images.dimensions[0] == labels.dimensions[0] else {
                throw LearningError.invalidDataFile(path: labelsPath, offset: 4,
                                                    problem: "\(labels.dimensions[0]) labels for \(images.dimensions[0]) images in \(imagesPath)")
            }
            if let bad = labels.bytes.firstIndex(where: { Int($0) >= classNames.count }) {
                throw LearningError.invalidDataFile(path: labelsPath, offset: 8 + bad,
                                                    problem: "label \(labels.bytes[bad]) outside 0..<\(classNames.count)")
            }
            return try ImageDataset(name: name, sampleShape: [1, images.dimensions[1], images.dimensions[2]],
                                    pixels: images.bytes, labels: labels.bytes.map { Int32($0) },
                                    classNames: classNames, normalization: normalization)
        }
        return DataSplit(train: try split(paths[0], paths[1]), test: try split(paths[2], paths[3]))
    }
}
