/// Data sets by name, as the command line and Lua scripts name them.
public enum DatasetCatalog {
    /// The accepted names.
    public static let names = ["fashion-mnist", "mnist", "cifar10", "synthetic"]

    /// Loads `name`; `directory` overrides where the files are (required for mnist and cifar10).
    public static func load(_ name: String, directory: String? = nil, seed: UInt64 = 1) throws -> DataSplit {
        switch name.lowercased() {
        case "fashion-mnist", "fashion_mnist", "fmnist":
            return try MNISTFormat.fashionMNIST(directory: directory)
        case "mnist":
            guard let directory else {
                throw LearningError.missingDataset(name: "mnist", hint: "pass --data-dir DIR holding train-images-idx3-ubyte.gz and the other three IDX files")
            }
            return try MNISTFormat.mnist(directory: directory)
        case "cifar10", "cifar-10":
            guard let directory else {
                throw LearningError.missingDataset(name: "cifar10", hint: "pass --data-dir DIR holding data_batch_1.bin … data_batch_5.bin and test_batch.bin")
            }
            return try CIFAR10.load(directory: directory)
        case "synthetic":
            return try SyntheticDataset.make(seed: seed)
        default:
            throw LearningError.invalidArgument("unknown data set '\(name)' (expected one of: \(names.joined(separator: ", ")))")
        }
    }
}
