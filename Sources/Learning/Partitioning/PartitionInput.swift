/// A validated partitioning request: the labels, the class index lists `I_c` (file order), the
/// client count and the seed, with the steps shared by every scheme.
struct PartitionInput {
    /// The label of every example.
    let labels: [Int32]
    /// The number of classes `C`.
    let classCount: Int
    /// The number of clients `M`.
    let clientCount: Int
    /// The run's seed.
    let seed: UInt64
    /// `classIndices[c]` is `I_c`: the indices of the examples of class `c`, in file order.
    let classIndices: [[Int]]

    /// The number of examples `N`.
    var sampleCount: Int { labels.count }

    /// Validates the request and builds the class index lists.
    init(labels: [Int32], classCount: Int, clients: Int, seed: UInt64) throws {
        guard classCount > 0 else {
            throw LearningError.invalidPartition("the class count must be positive, got \(classCount)")
        }
        guard clients > 0 else {
            throw LearningError.invalidPartition("the number of clients must be positive, got \(clients)")
        }
        guard !labels.isEmpty else {
            throw LearningError.invalidPartition("there are no examples to partition")
        }
        guard clients <= labels.count else {
            throw LearningError.invalidPartition(
                "\(clients) clients but only \(labels.count) examples: there must be at least one example per client")
        }
        var classIndices = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() {
            let c = Int(label)
            guard c >= 0 && c < classCount else {
                throw LearningError.invalidPartition(
                    "example \(index) has label \(label), outside 0..<\(classCount)")
            }
            classIndices[c].append(index)
        }
        self.labels = labels
        self.classCount = classCount
        self.clientCount = clients
        self.seed = seed
        self.classIndices = classIndices
    }

    /// The generator of the random stream named `purpose` (e.g. `"iid"`), independent of all
    /// other streams of the seed.
    func generator(_ purpose: String) -> SeededGenerator {
        SeededGenerator(seed: seed, label: "partition." + purpose)
    }

    /// Shuffles each client's indices with the seed (one stream per client) and adds a warning
    /// naming clients left without examples.
    func finish(_ draft: PartitionDraft) -> Partition {
        var clients = draft.clients
        for i in clients.indices {
            var rng = SeededGenerator(seed: seed, label: "partition.shuffle.\(i)")
            rng.shuffle(&clients[i])
        }
        var warnings = draft.warnings
        let empty = clients.indices.filter { clients[$0].isEmpty }
        if !empty.isEmpty {
            warnings.append("\(empty.count) client(s) hold no examples: \(PartitionSupport.listSummary(empty))")
        }
        return Partition(clients: clients, warnings: warnings)
    }
}
