#if canImport(Learning)
import Learning
#endif

/// aiotwin's default balancer (spec §5): equal weights in the pool subject to share clauses
/// (``ShareWeights``), with power-of-two-choices on in-flight requests under load (§6.2).
///
/// A member is drawn by weight. Under load — when it already has `loadThreshold` or more
/// requests outstanding — a second distinct member is drawn by weight and the one with fewer
/// outstanding requests wins (the first on a tie). Below the threshold every member is chosen
/// with exactly its weight, so share clauses hold.
public struct EqualShareP2CBalancer: Balancer {
    /// Outstanding requests on the first choice from which the second choice is consulted.
    public var loadThreshold: Int

    /// Creates the balancer.
    public init(loadThreshold: Int = 2) { self.loadThreshold = loadThreshold }

    public func pick(from pool: [PoolCandidate], shareClauses: [ShareClause],
                     rng: inout SeededGenerator) -> Instance? {
        guard !pool.isEmpty else { return nil }
        if pool.count == 1 { return pool[0].instance }
        let weights = ShareWeights.weights(for: pool.map(\.instance), clauses: shareClauses)
        guard let first = Self.draw(weights, excluding: nil, rng: &rng) else { return nil }
        guard pool[first].inFlight >= loadThreshold,
              let second = Self.draw(weights, excluding: first, rng: &rng) else { return pool[first].instance }
        return pool[second].inFlight < pool[first].inFlight ? pool[second].instance : pool[first].instance
    }

    /// Index drawn with probability proportional to `weights`, skipping `excluding`.
    static func draw(_ weights: [Double], excluding: Int?, rng: inout SeededGenerator) -> Int? {
        var total = 0.0
        var last: Int?
        for (i, w) in weights.enumerated() where i != excluding && w > 0 {
            total += w
            last = i
        }
        guard total > 0, let fallback = last else { return nil }
        let u = rng.uniform() * total
        var cumulative = 0.0
        for (i, w) in weights.enumerated() where i != excluding && w > 0 {
            cumulative += w
            if u < cumulative { return i }
        }
        return fallback
    }
}
