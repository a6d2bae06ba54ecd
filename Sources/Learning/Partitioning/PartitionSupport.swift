/// Small helpers shared by the partitioners.
enum PartitionSupport {
    /// Splits `items` into `parts` contiguous parts whose sizes differ by at most one, the larger
    /// ones first (numpy's `array_split`).
    static func arraySplit<T>(_ items: [T], parts: Int) -> [[T]] {
        precondition(parts > 0)
        let base = items.count / parts, extra = items.count % parts
        var result: [[T]] = []
        result.reserveCapacity(parts)
        var start = 0
        for p in 0..<parts {
            let end = start + base + (p < extra ? 1 : 0)
            result.append(Array(items[start..<end]))
            start = end
        }
        return result
    }

    /// Draws `count` distinct elements of `pool` uniformly at random, without replacement
    /// (a partial Fisher-Yates shuffle).
    static func sampleWithoutReplacement(_ pool: [Int], count: Int, using rng: inout SeededGenerator) -> [Int] {
        var pool = pool
        let n = min(count, pool.count)
        for i in 0..<n {
            let j = i + rng.int(below: pool.count - i)
            if i != j { pool.swapAt(i, j) }
        }
        return Array(pool[0..<n])
    }

    /// The sizes of the parts that cutting `n` items at the cumulative fractions of `proportions`
    /// gives (truncated to integers, as numpy's `(cumsum(p) * n).astype(int)`); the last part takes the
    /// rest.
    static func cumulativeCutSizes(_ proportions: [Double], samples n: Int) -> [Int] {
        var sizes: [Int] = []
        var start = 0, cumulative = 0.0
        for j in proportions.indices {
            let end: Int
            if j == proportions.count - 1 {
                end = n
            } else {
                cumulative += proportions[j]
                let raw = cumulative * Double(n)
                end = raw.isFinite ? min(n, max(start, Int(raw))) : start
            }
            sizes.append(end - start)
            start = end
        }
        return sizes
    }

    /// Cuts `items` at the cumulative fractions of `proportions` (see ``cumulativeCutSizes(_:samples:)``).
    static func cutAtCumulativeFractions<T>(_ items: [T], proportions: [Double]) -> [[T]] {
        var result: [[T]] = []
        result.reserveCapacity(proportions.count)
        var start = 0
        for size in cumulativeCutSizes(proportions, samples: items.count) {
            result.append(Array(items[start..<(start + size)]))
            start += size
        }
        return result
    }

    /// A short rendering of a list of integers for messages: all of them up to 10, else the first 10
    /// and a count.
    static func listSummary(_ values: [Int]) -> String {
        if values.count <= 10 { return values.map(String.init).joined(separator: ", ") }
        return values.prefix(10).map(String.init).joined(separator: ", ") + ", … (\(values.count) in all)"
    }
}
