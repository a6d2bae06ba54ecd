import Learning

/// Seeded, reproducible client failures: client `id` fails local round `l` of global round `r`
/// when a uniform draw `u(id, r, l)` from a stream derived from (seed, id) is below its failure
/// probability. The draw depends only on those values, never on thread scheduling, reply order
/// or how many other clients drew before, so a resumed run sees the same failures.
public struct FailureModel: Sendable {
    /// The run's seed.
    public let seed: UInt64

    /// Creates the model.
    public init(seed: UInt64) { self.seed = seed }

    /// The uniform draw for (client, round, local round).
    public func draw(client id: String, round: Int, localRound: Int) -> Double {
        var g = SeededGenerator(seed: seed, label: "failure/\(id)/\(round)/\(localRound)")
        return g.uniform()
    }

    /// Whether the client fails.
    public func fails(client id: String, probability: Double, round: Int, localRound: Int) -> Bool {
        probability > 0 && draw(client: id, round: round, localRound: localRound) < probability
    }
}
