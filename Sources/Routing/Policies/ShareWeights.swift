/// Pool weights: equal inside the pool, then adjusted so that every satisfiable share clause
/// holds (spec §1: "equal weights in the pool, subject to share clauses").
///
/// Clauses are applied in order. For a clause whose matching members receive less than its
/// `minimumShare`, the matching members are scaled up to exactly that share and the others
/// scaled down to the rest (each group keeping its internal proportions); a clause that no member
/// matches cannot be met and is skipped. A later clause may undo an earlier one; two passes are
/// made so that compatible clauses all hold.
public enum ShareWeights {
    /// Weights (summing to 1) for `instances` under `clauses`; empty for an empty pool.
    public static func weights(for instances: [Instance], clauses: [ShareClause]) -> [Double] {
        let n = instances.count
        guard n > 0 else { return [] }
        var w = Array(repeating: 1.0 / Double(n), count: n)
        guard !clauses.isEmpty else { return w }
        for _ in 0..<2 {
            for clause in clauses {
                let matching = instances.map { clause.matches($0) }
                let share = zip(w, matching).reduce(0.0) { $0 + ($1.1 ? $1.0 : 0) }
                let target = min(max(clause.minimumShare, 0), 1)
                guard matching.contains(true), share + 1e-12 < target else { continue }
                let rest = 1 - share
                for i in 0..<n {
                    if matching[i] {
                        w[i] = share > 0 ? w[i] * target / share : target / Double(matching.filter { $0 }.count)
                    } else {
                        w[i] = rest > 0 ? w[i] * (1 - target) / rest : 0
                    }
                }
            }
        }
        return w
    }
}
