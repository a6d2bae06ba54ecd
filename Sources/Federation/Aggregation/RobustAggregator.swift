/// Byzantine-robust rules that need all of a round's updates: coordinate-wise median and
/// trimmed mean (unweighted, as Flower's), and (Multi-)Krum, whose chosen updates are averaged
/// weighted by their example counts (as Flower's).
final class RobustAggregator: ModelAggregator {
    enum Rule { case median, trimmedMean(Double), krum(byzantine: Int, select: Int) }
    let rule: Rule
    private var updates: [[Float]] = []
    private var weights: [Double] = []

    init(rule: Rule) { self.rule = rule }

    func begin(current: [Float]) {
        updates.removeAll(keepingCapacity: true)
        weights.removeAll(keepingCapacity: true)
    }

    func add(_ update: UnsafeBufferPointer<Float>, weight: Double) {
        guard weight > 0 else { return }
        updates.append(Array(update))
        weights.append(weight)
    }

    func finish() -> [Float]? {
        guard let first = updates.first else { return nil }
        let n = updates.count, p = first.count
        switch rule {
        case .median, .trimmedMean:
            var trim = 0
            if case let .trimmedMean(beta) = rule { trim = Int(Double(n) * beta) }
            if 2 * trim >= n { trim = (n - 1) / 2 }
            var out = [Float](repeating: 0, count: p)
            var column = [Float](repeating: 0, count: n)
            for i in 0..<p {
                for k in 0..<n { column[k] = updates[k][i] }
                column.sort()
                if case .median = rule {
                    out[i] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2
                } else {
                    var s: Double = 0
                    for k in trim..<(n - trim) { s += Double(column[k]) }
                    out[i] = Float(s / Double(n - 2 * trim))
                }
            }
            return out
        case let .krum(f, m):
            // Squared distances between all pairs, in float64.
            var d = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            for a in 0..<n {
                for b in (a + 1)..<max(a + 1, n) {
                    var s = 0.0
                    updates[a].withUnsafeBufferPointer { x in
                        updates[b].withUnsafeBufferPointer { y in
                            for i in 0..<p { let t = Double(x[i] - y[i]); s += t * t }
                        }
                    }
                    d[a][b] = s; d[b][a] = s
                }
            }
            let neighbours = max(1, n - f - 2)
            let scores = (0..<n).map { a -> Double in
                d[a].enumerated().filter { $0.offset != a }.map(\.element).sorted().prefix(neighbours).reduce(0, +)
            }
            let chosen = (0..<n).sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(min(m, n))
            let total = chosen.reduce(0.0) { $0 + weights[$1] }
            var acc = [Double](repeating: 0, count: p)
            for k in chosen {
                let w = weights[k] / total
                for i in 0..<p { acc[i] += w * Double(updates[k][i]) }
            }
            return acc.map { Float($0) }
        }
    }

    var state: [String: [Float]] { [:] }

    func restore(_ state: [String: [Float]]) throws {}
}
