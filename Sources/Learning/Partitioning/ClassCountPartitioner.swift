/// The explicit per-client class-count partition (Flower `DistributionPartitioner`; the per-node
/// `"class:samples,…"` of AIoTwin/fl-orchestrator's topology CSV).
enum ClassCountPartitioner {
    /// Gives client `i` `counts[i][c]` examples of class `c`, as consecutive slices (in client
    /// order) of one seeded permutation of `I_c`. Asking for more than a class has is an error.
    static func partition(_ input: PartitionInput, counts: [[Int: Int]]) throws -> PartitionDraft {
        let m = input.clientCount, c = input.classCount
        guard counts.count == m else {
            throw LearningError.invalidPartition(
                "explicit class counts are given for \(counts.count) clients, but \(m) clients were requested")
        }
        for (client, row) in counts.enumerated() {
            for (cls, count) in row.sorted(by: { $0.key < $1.key }) {
                guard cls >= 0 && cls < c else {
                    throw LearningError.invalidPartition(
                        "client \(client + 1) asks for class \(cls), outside 0..<\(c)")
                }
                guard count >= 0 else {
                    throw LearningError.invalidPartition(
                        "client \(client + 1) asks for a negative count (\(count)) of class \(cls)")
                }
            }
        }
        var rng = input.generator("counts")
        var permuted = input.classIndices
        for cls in 0..<c { rng.shuffle(&permuted[cls]) }
        var next = [Int](repeating: 0, count: c)
        var clients = [[Int]](repeating: [], count: m)
        for (client, row) in counts.enumerated() {
            for (cls, count) in row.sorted(by: { $0.key < $1.key }) {
                let available = permuted[cls].count - next[cls]
                guard count <= available else {
                    let taken = next[cls] > 0 ? " after earlier clients took \(next[cls])" : ""
                    throw LearningError.invalidPartition(
                        "client \(client + 1) asks for \(count) examples of class \(cls), but only \(available) of its \(permuted[cls].count) remain\(taken)")
                }
                clients[client].append(contentsOf: permuted[cls][next[cls]..<(next[cls] + count)])
                next[cls] += count
            }
        }
        return PartitionDraft(clients: clients)
    }
}
