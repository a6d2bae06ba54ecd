/// The shard partition (McMahan et al. 2017, Flower `ShardPartitioner`).
enum ShardPartitioner {
    /// Sorts the indices by label (stably), cuts them into `S = M·perClient` shards of equal size
    /// and gives each client `perClient` shards chosen at random.
    static func partition(_ input: PartitionInput, perClient: Int, shardSize: Int?) throws -> PartitionDraft {
        let m = input.clientCount, n = input.sampleCount
        guard perClient >= 1 else {
            throw LearningError.invalidPartition("shards per client must be positive, got \(perClient)")
        }
        let (shardCount, overflow) = m.multipliedReportingOverflow(by: perClient)
        guard !overflow && shardCount <= n else {
            throw LearningError.invalidPartition(
                "\(m) clients × \(perClient) shards need more shards than the \(n) examples allow")
        }
        let size: Int
        var warnings: [String] = []
        if let shardSize {
            guard shardSize >= 1 else {
                throw LearningError.invalidPartition("the shard size must be positive, got \(shardSize)")
            }
            let (needed, overflow) = shardCount.multipliedReportingOverflow(by: shardSize)
            guard !overflow && needed <= n else {
                throw LearningError.invalidPartition(
                    "\(shardCount) shards of \(shardSize) need \(overflow ? "more" : String(needed)) examples, but there are only \(n)")
            }
            if needed < n {
                warnings.append("\(n - needed) examples at the end of the label order are left out of the \(shardCount) shards of \(shardSize)")
            }
            size = shardSize
        } else {
            guard n % shardCount == 0 else {
                throw LearningError.invalidPartition(
                    "\(n) examples do not divide into \(shardCount) equal shards (\(m) clients × \(perClient)); give a shard size, e.g. shards:\(perClient):\(n / shardCount), to leave the remainder out")
            }
            size = n / shardCount
        }
        let sorted = input.classIndices.flatMap { $0 }  // stable sort by label
        var rng = input.generator("shards")
        let order = rng.permutation(shardCount)
        var clients = [[Int]](repeating: [], count: m)
        for i in 0..<m {
            for t in 0..<perClient {
                let shard = order[i * perClient + t]
                clients[i].append(contentsOf: sorted[(shard * size)..<((shard + 1) * size)])
            }
        }
        return PartitionDraft(clients: clients, warnings: warnings)
    }
}
