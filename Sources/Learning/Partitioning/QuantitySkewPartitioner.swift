import Foundation

/// The quantity-skew partition: client sizes follow a ``QuantityProfile`` while the label mix stays
/// IID.
enum QuantitySkewPartitioner {
    /// The number of redraws of a Dirichlet size profile that leaves a client too small.
    /// NIID-Bench redraws without limit; a bound turns a hopeless β into an error instead of a hang.
    static let maxRetries = 1000
    /// The size below which a Dirichlet-drawn client is redrawn (NIID-Bench uses 10), capped at
    /// `⌊N/M⌋`.
    static let dirichletMinimumSize = 10

    /// Computes the sizes and cuts consecutive slices of one seeded permutation of all indices.
    static func partition(_ input: PartitionInput, profile: QuantityProfile) throws -> PartitionDraft {
        var rng = input.generator("quantity")
        let n = input.sampleCount
        var warnings: [String] = []
        let sizes = try self.sizes(profile, clients: input.clientCount, samples: n, rng: &rng)
        let total = sizes.reduce(0, +)
        if total < n { warnings.append("\(n - total) of \(n) examples are left unassigned by the explicit sizes") }
        let permutation = rng.permutation(n)
        var clients: [[Int]] = []
        var start = 0
        for size in sizes {
            clients.append(Array(permutation[start..<(start + size)]))
            start += size
        }
        return PartitionDraft(clients: clients, warnings: warnings)
    }

    /// The client sizes of `profile` for `m` clients and `n` examples.
    static func sizes(_ profile: QuantityProfile, clients m: Int, samples n: Int,
                      rng: inout SeededGenerator) throws -> [Int] {
        switch profile {
        case .linear:
            return proportional((1...m).map { Double($0) }, samples: n)
        case .square:
            return proportional((1...m).map { Double($0) * Double($0) }, samples: n)
        case .exponential:
            // e^(i − M) is proportional to e^i and cannot overflow.
            return proportional((1...m).map { exp(Double($0 - m)) }, samples: n)
        case let .sizes(sizes):
            guard sizes.count == m else {
                throw LearningError.invalidPartition(
                    "explicit sizes are given for \(sizes.count) clients, but \(m) clients were requested")
            }
            if let bad = sizes.firstIndex(where: { $0 < 0 }) {
                throw LearningError.invalidPartition("client \(bad) has a negative size (\(sizes[bad]))")
            }
            var total = 0
            for size in sizes {
                let (sum, overflow) = total.addingReportingOverflow(size)
                guard !overflow && sum <= n else {
                    throw LearningError.invalidPartition(
                        "the explicit sizes add up to more than the \(n) examples available")
                }
                total = sum
            }
            return sizes
        case let .dirichlet(beta):
            guard beta > 0 && beta.isFinite else {
                throw LearningError.invalidPartition("the quantity-skew concentration β must be positive and finite, got \(beta)")
            }
            let minimum = min(dirichletMinimumSize, n / m)
            let concentration = [Double](repeating: beta, count: m)
            var smallest = 0
            for _ in 0...maxRetries {
                let q = rng.dirichlet(concentration)
                let sizes = PartitionSupport.cumulativeCutSizes(q, samples: n)
                smallest = sizes.min() ?? 0
                if smallest >= minimum { return sizes }
            }
            throw LearningError.invalidPartition(
                "quantity skew Dir(β = \(beta)) left a client with \(smallest) examples, below \(minimum), after \(maxRetries) retries; use a larger β")
        }
    }

    /// Sizes proportional to `weights`, truncated; the examples left over go to the last client
    /// (as Flower's size partitioners do).
    static func proportional(_ weights: [Double], samples n: Int) -> [Int] {
        let total = weights.reduce(0, +)
        var sizes = weights.map { Int(($0 / total) * Double(n)) }
        sizes[sizes.count - 1] += n - sizes.reduce(0, +)
        return sizes
    }
}
