#if canImport(Learning)
import Learning
#endif

/// Uniform choice over the pool, ignoring predictions, load and share clauses (QEdgeProxy's
/// `RANDOM_MODE=true`: `rand.Intn(len(pool))`).
public struct UniformBalancer: Balancer {
    /// Creates the balancer.
    public init() {}

    public func pick(from pool: [PoolCandidate], shareClauses: [ShareClause],
                     rng: inout SeededGenerator) -> Instance? {
        guard !pool.isEmpty else { return nil }
        return pool[rng.int(below: pool.count)].instance
    }
}
