/// The assignment a scheme produces, before the final per-client shuffle.
struct PartitionDraft {
    /// Indices per client.
    var clients: [[Int]]
    /// Warnings gathered while assigning.
    var warnings: [String] = []
}
