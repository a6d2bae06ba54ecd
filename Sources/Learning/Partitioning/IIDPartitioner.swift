/// The IID and stratified-IID partitions (spec §6).
enum IIDPartitioner {
    /// Permutes `0..<N` with the seed and cuts it into `M` contiguous parts, the first `N mod M`
    /// of `⌈N/M⌉` examples and the rest of `⌊N/M⌋`.
    static func iid(_ input: PartitionInput) -> PartitionDraft {
        var rng = input.generator("iid")
        let permutation = rng.permutation(input.sampleCount)
        return PartitionDraft(clients: PartitionSupport.arraySplit(permutation, parts: input.clientCount))
    }

    /// Deals each class's index list `I_c` (file order) round-robin: position `j` goes to client
    /// `j mod M`. Uses no randomness before the final shuffle.
    static func stratified(_ input: PartitionInput) -> PartitionDraft {
        let m = input.clientCount
        var clients = [[Int]](repeating: [], count: m)
        for indices in input.classIndices {
            for (j, index) in indices.enumerated() { clients[j % m].append(index) }
        }
        return PartitionDraft(clients: clients)
    }
}
