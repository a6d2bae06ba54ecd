#if canImport(Learning)
import Learning
#endif

/// The load-balancing half of a policy (spec §2 "LB plugin"): a pure choice of one pool member
/// given the pool with predictions, the share clauses and the host's seeded generator.
///
/// A balancer does no I/O and keeps no state between calls, so a Lua plugin can implement it.
public protocol Balancer: Sendable {
    /// Picks one member of `pool`, or `nil` when the pool is empty.
    func pick(from pool: [PoolCandidate], shareClauses: [ShareClause],
              rng: inout SeededGenerator) -> Instance?
}
