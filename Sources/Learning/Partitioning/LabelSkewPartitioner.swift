/// The "k labels per client" partition (NIID-Bench "#C=k", Flower `PathologicalPartitioner`).
enum LabelSkewPartitioner {
    /// Gives each client `k` distinct classes chosen as `mode` says, then splits each class's index
    /// list (file order) into equal contiguous parts, one per owning client in client order.
    static func partition(_ input: PartitionInput, k: Int, mode: LabelAssignment) throws -> PartitionDraft {
        let m = input.clientCount, c = input.classCount
        guard k >= 1 && k <= c else {
            throw LearningError.invalidPartition(
                "labels per client must be in 1...\(c) (the class count), got \(k)")
        }
        let owned = ownedClasses(clients: m, classCount: c, k: k, mode: mode, rng: input.generator("labels"))

        var owners = [[Int]](repeating: [], count: c)
        for (client, classes) in owned.enumerated() {
            for cls in classes { owners[cls].append(client) }
        }

        var clients = [[Int]](repeating: [], count: m)
        var warnings: [String] = []
        var dropped: [Int] = [], droppedExamples = 0
        var short: [String] = []
        for cls in 0..<c {
            let indices = input.classIndices[cls]
            guard !owners[cls].isEmpty else {
                if !indices.isEmpty { dropped.append(cls); droppedExamples += indices.count }
                continue
            }
            if indices.count < owners[cls].count {
                short.append("class \(cls) has \(indices.count) example(s) for \(owners[cls].count) owners")
            }
            let parts = PartitionSupport.arraySplit(indices, parts: owners[cls].count)
            for (part, client) in zip(parts, owners[cls]) { clients[client].append(contentsOf: part) }
        }
        if !dropped.isEmpty {
            warnings.append(
                "classes nobody owns were dropped: \(PartitionSupport.listSummary(dropped)) (\(droppedExamples) examples unassigned)")
        }
        if !short.isEmpty {
            warnings.append("some clients hold fewer than \(k) classes: " + short.prefix(5).joined(separator: "; ")
                            + (short.count > 5 ? "; …" : ""))
        }
        return PartitionDraft(clients: clients, warnings: warnings)
    }

    /// The classes owned by each client.
    static func ownedClasses(clients m: Int, classCount c: Int, k: Int, mode: LabelAssignment,
                             rng: SeededGenerator) -> [[Int]] {
        var rng = rng
        return (0..<m).map { i in
            switch mode {
            case .deterministic:
                return (0..<k).map { (i + $0) % c }
            case .adjacent:
                return (0..<k).map { (i * k + $0) % c }
            case .firstDeterministic:
                let first = i % c
                let others = (0..<c).filter { $0 != first }
                return [first] + PartitionSupport.sampleWithoutReplacement(others, count: k - 1, using: &rng)
            case .random:
                return PartitionSupport.sampleWithoutReplacement(Array(0..<c), count: k, using: &rng)
            }
        }
    }
}
