/// One named float32 tensor of a model snapshot, e.g. `conv1.weight` with shape `[6, 1, 5, 5]`.
public struct SnapshotTensor: Hashable, Sendable {
    /// The PyTorch `state_dict` name (dots are kept in the dataset name).
    public var name: String
    /// The dimensions, row-major (`[]` for a scalar).
    public var shape: [Int]
    /// The values, row-major.
    public var values: [Float]

    /// A tensor.
    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}
