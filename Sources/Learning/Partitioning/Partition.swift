/// The result of partitioning a data set among federated clients: for every client, the indices
/// (into the data set's examples) of the examples it holds.
///
/// Partitions are disjoint: no index appears twice, in one client or across clients. Some schemes
/// leave examples unassigned (explicit class counts, shards with a remainder, classes nobody owns);
/// ``warnings`` then says so.
public struct Partition: Sendable, Equatable {
    /// The sample indices held by each client, `clients[i]` for client `i`, in the (seeded,
    /// shuffled) order in which the client should visit them.
    public var clients: [[Int]]

    /// Human-readable remarks about the partition (for example classes nobody owns that were
    /// dropped, examples left unassigned, clients that hold nothing). Empty when all is as asked.
    public var warnings: [String]

    /// Creates a partition from per-client index lists and optional warnings.
    public init(clients: [[Int]], warnings: [String] = []) {
        self.clients = clients
        self.warnings = warnings
    }

    /// The number of clients.
    public var clientCount: Int { clients.count }

    /// The number of examples each client holds.
    public var sizes: [Int] { clients.map(\.count) }

    /// The number of examples assigned to some client.
    public var assignedCount: Int { clients.reduce(0) { $0 + $1.count } }

    /// The per-client class-count matrix (M×C): `result[i][c]` is the number of examples of class
    /// `c` held by client `i`.
    ///
    /// Indices outside `labels` and labels outside `0..<classCount` are not counted (they cannot
    /// occur in a partition made from the same labels).
    public func classHistograms(labels: [Int32], classCount: Int) -> [[Int]] {
        let width = max(classCount, 0)
        return clients.map { indices in
            var row = [Int](repeating: 0, count: width)
            for index in indices where index >= 0 && index < labels.count {
                let label = Int(labels[index])
                if label >= 0 && label < width { row[label] += 1 }
            }
            return row
        }
    }
}
