/// The Dirichlet label-skew partition (Flower `DirichletPartitioner`, NIID-Bench "Dir(α)").
enum DirichletPartitioner {
    /// The number of times the whole draw may be repeated when some client is below the minimum
    /// partition size.
    static let maxRetries = 10

    /// For each class `c` (in order, skipping classes without examples) draws `p ~ Dir(α·1_M)`,
    /// optionally zeroes the share of clients already above `N/M` and renormalises, and cuts `I_c`
    /// (file order) at the cumulative fractions. Repeats the whole draw while a client holds fewer
    /// than `minPartitionSize` examples, at most ``maxRetries`` times.
    static func partition(_ input: PartitionInput, alpha: Double, minPartitionSize: Int,
                          selfBalancing: Bool) throws -> PartitionDraft {
        let m = input.clientCount, n = input.sampleCount
        guard alpha > 0 && alpha.isFinite else {
            throw LearningError.invalidPartition("the Dirichlet concentration α must be positive and finite, got \(alpha)")
        }
        guard minPartitionSize >= 0 else {
            throw LearningError.invalidPartition("the minimum partition size must not be negative, got \(minPartitionSize)")
        }
        guard minPartitionSize <= n / m else {
            throw LearningError.invalidPartition(
                "a minimum partition size of \(minPartitionSize) for \(m) clients needs \(m) × \(minPartitionSize) examples, but there are only \(n)")
        }
        var rng = input.generator("dirichlet")
        let concentration = [Double](repeating: alpha, count: m)
        let average = Double(n) / Double(m)
        var smallest = 0
        for _ in 0...maxRetries {
            var clients = [[Int]](repeating: [], count: m)
            for indices in input.classIndices where !indices.isEmpty {
                var p = rng.dirichlet(concentration)
                if selfBalancing {
                    for j in 0..<m where Double(clients[j].count) > average { p[j] = 0 }
                    let sum = p.reduce(0, +)
                    if sum > 0 {
                        for j in 0..<m { p[j] /= sum }
                    } else {
                        // Every remaining share underflowed: spread evenly over the clients not above N/M.
                        let open = (0..<m).filter { Double(clients[$0].count) <= average }
                        for j in 0..<m { p[j] = open.contains(j) ? 1 / Double(open.count) : 0 }
                    }
                }
                let parts = PartitionSupport.cutAtCumulativeFractions(indices, proportions: p)
                for j in 0..<m { clients[j].append(contentsOf: parts[j]) }
            }
            smallest = clients.map(\.count).min() ?? 0
            if smallest >= minPartitionSize { return PartitionDraft(clients: clients) }
        }
        throw LearningError.invalidPartition(
            "Dirichlet(α = \(alpha)) left a client with \(smallest) examples, below the minimum partition size \(minPartitionSize), after \(maxRetries) retries; use a larger α or a smaller minimum")
    }
}
