/// A model snapshot read back from a run file: its tensors in stored order and its attributes.
public struct Snapshot: Hashable, Sendable {
    /// The snapshot's name (its group under `/snapshots`).
    public let name: String
    /// The tensors, in the order they were written.
    public let tensors: [SnapshotTensor]
    /// The snapshot's attributes (e.g. `round`, the model spec), without the internal `order`.
    public let attributes: [String: AttributeValue]

    /// The tensor called `name`, if any.
    public subscript(name: String) -> SnapshotTensor? { tensors.first { $0.name == name } }
}
