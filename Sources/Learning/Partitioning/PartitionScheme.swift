/// A strategy for splitting a labelled training set among `M` federated clients (spec §6).
///
/// Every scheme is deterministic for a seed: all random choices come from streams of
/// ``SeededGenerator`` derived from the seed given to ``partition(labels:classCount:clients:seed:)``.
/// After assignment, each client's indices are shuffled with the seed.
public enum PartitionScheme: Sendable, Equatable {
    /// Permute all indices with the seed and cut them into `M` contiguous parts; the first
    /// `N mod M` parts get `⌈N/M⌉` examples, the others `⌊N/M⌋`.
    case iid
    /// Deal each class's index list (file order) round-robin: position `j` goes to client
    /// `j mod M`, so every client holds every class in equal counts ±1 (the anchor's `flat_skewed`).
    case stratifiedIID
    /// Each client owns exactly `k` distinct classes, chosen as `mode` says; each class's index
    /// list is split into equal contiguous parts (`array_split`), one per owning client. Classes
    /// nobody owns are dropped with a warning.
    case labelsPerClient(k: Int, mode: LabelAssignment)
    /// Sort indices by label (stably), cut them into `S = M·perClient` shards of equal size and
    /// give each client `perClient` shards chosen at random. With `shardSize` nil, `S` must divide
    /// the number of examples; with an explicit size, examples beyond `S·shardSize` in label order
    /// are left out with a warning.
    case shards(perClient: Int = 2, shardSize: Int? = nil)
    /// For each class draw `p ~ Dir(α·1_M)` and cut the class's index list at the cumulative
    /// fractions (Flower `DirichletPartitioner`). Self-balancing gives no more of a class to clients
    /// already above `N/M`. The whole draw is repeated (at most 10 retries) while some client holds
    /// fewer than `minPartitionSize` examples.
    case dirichlet(alpha: Double, minPartitionSize: Int = 10, selfBalancing: Bool = true)
    /// Explicit counts: client `i` receives `counts[i][c]` examples of class `c`, as consecutive
    /// slices of one seeded permutation of the class's index list. Asking for more than a class has
    /// is an error.
    case classCounts([[Int: Int]])
    /// Client sizes follow a profile; the label mix stays IID (consecutive slices of one seeded
    /// permutation of all indices).
    case quantitySkew(QuantityProfile)

    /// Splits the examples whose labels are `labels` (values in `0..<classCount`) among `clients`
    /// clients, deterministically for `seed`.
    ///
    /// - Throws: ``LearningError/invalidPartition(_:)`` with a one-line message when the request
    ///   is invalid or the data cannot satisfy it (no clients, more clients than examples, labels
    ///   out of range, `k` out of `1...classCount`, `α ≤ 0`, shards that do not divide, counts that
    ///   ask for more than a class has, …).
    public func partition(labels: [Int32], classCount: Int, clients: Int, seed: UInt64) throws -> Partition {
        let input = try PartitionInput(labels: labels, classCount: classCount, clients: clients, seed: seed)
        let draft: PartitionDraft
        switch self {
        case .iid:
            draft = IIDPartitioner.iid(input)
        case .stratifiedIID:
            draft = IIDPartitioner.stratified(input)
        case let .labelsPerClient(k, mode):
            draft = try LabelSkewPartitioner.partition(input, k: k, mode: mode)
        case let .shards(perClient, shardSize):
            draft = try ShardPartitioner.partition(input, perClient: perClient, shardSize: shardSize)
        case let .dirichlet(alpha, minPartitionSize, selfBalancing):
            draft = try DirichletPartitioner.partition(
                input, alpha: alpha, minPartitionSize: minPartitionSize, selfBalancing: selfBalancing)
        case let .classCounts(counts):
            draft = try ClassCountPartitioner.partition(input, counts: counts)
        case let .quantitySkew(profile):
            draft = try QuantitySkewPartitioner.partition(input, profile: profile)
        }
        return input.finish(draft)
    }
}
