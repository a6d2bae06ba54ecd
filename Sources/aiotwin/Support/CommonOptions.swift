import ArgumentParser
import Foundation
import Learning

/// Options shared by commands that load a data set.
struct DataOptions: ParsableArguments {
    @Option(help: "Data set: \(DatasetCatalog.names.joined(separator: ", ")).")
    var dataset = "fashion-mnist"

    @Option(help: ArgumentHelp("Directory holding the data set's files (default for fashion-mnist: \(MNISTFormat.fashionMNISTDirectory)).", valueName: "dir"))
    var dataDir: String?

    @Option(help: ArgumentHelp("Use only the first N training samples (quick runs).", valueName: "n"))
    var trainLimit: Int?

    @Option(help: ArgumentHelp("Use only the first N test samples.", valueName: "n"))
    var testLimit: Int?

    func validate() throws {
        if let trainLimit, trainLimit <= 0 { throw ValidationError("--train-limit must be positive, found \(trainLimit)") }
        if let testLimit, testLimit <= 0 { throw ValidationError("--test-limit must be positive, found \(testLimit)") }
    }

    /// Loads the data set, applying the limits.
    func load(seed: UInt64) throws -> DataSplit {
        let split = try DatasetCatalog.load(dataset, directory: dataDir, seed: seed)
        func limited(_ d: ImageDataset, _ n: Int?) throws -> ImageDataset {
            guard let n, n < d.count else { return d }
            return try d.subset(Array(0..<n))
        }
        return DataSplit(train: try limited(split.train, trainLimit), test: try limited(split.test, testLimit))
    }
}

/// `--threads`, defaulting to every online core.
struct ThreadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Worker threads (default: all \(ProcessInfo.processInfo.activeProcessorCount) cores).", valueName: "n"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256, found \(threads)") }
    }
}
