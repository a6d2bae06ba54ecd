import Testing
@testable import Federation
import Learning

@Suite("WeightedMean")
struct WeightedMeanTests {
    /// Random vectors in [-10, 10) and weights in [0.1, 5), owned by the caller.
    static func randomUpdates(count: Int, size: Int, seed: UInt64) -> (updates: [UnsafeMutableBufferPointer<Float>], weights: [Double]) {
        var rng = SeededGenerator(seed: seed)
        let updates = (0..<count).map { _ -> UnsafeMutableBufferPointer<Float> in
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: size)
            for i in 0..<size { p[i] = rng.uniform(-10, 10) }
            return p
        }
        let weights = (0..<count).map { _ in 0.1 + 4.9 * rng.uniform() }
        return (updates, weights)
    }

    /// The obvious double loop: Σ_k w_k·x_k[i] / Σ_k w_k in float64, rounded once.
    static func naive(_ updates: [UnsafeMutableBufferPointer<Float>], _ weights: [Double]) -> [Float] {
        let total = weights.reduce(0, +)
        let n = updates.first?.count ?? 0
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for (u, w) in zip(updates, weights) { s += w * Double(u[i]) }
            out[i] = Float(s / total)
        }
        return out
    }

    /// Sizes not multiples of 8 or 1024; the large ones are split between threads (the
    /// implementation gives each thread at least ~4096 parameters), at unaligned boundaries.
    @Test("equals a naive float64 double loop (1, 2, 3 and 4 threads)",
          arguments: [1, 7, 9, 1023, 1025, 3001, 8195, 20_003])
    func matchesNaive(size: Int) {
        for count in [1, 3, 5] {
            let (updates, weights) = Self.randomUpdates(count: count, size: size, seed: UInt64(size * 10 + count))
            defer { updates.forEach { $0.deallocate() } }
            let expected = Self.naive(updates, weights)
            let views = updates.map { UnsafeBufferPointer($0) }
            let one = WeightedMean.mean(of: views, weights: weights, threads: 1)
            let two = WeightedMean.mean(of: views, weights: weights, threads: 2)
            let three = WeightedMean.mean(of: views, weights: weights, threads: 3)
            let four = WeightedMean.mean(of: views, weights: weights, threads: 4)
            #expect(one.count == size)
            var worst = 0.0
            for i in 0..<size {
                // The float64 sums agree to ~1e-15; after rounding to float they may differ by one ulp.
                let tol = Double(max(abs(expected[i]), 1e-3).ulp)
                worst = max(worst, abs(Double(one[i]) - Double(expected[i])) / tol)
            }
            #expect(worst <= 1, "size \(size), \(count) updates: off by \(worst) ulp")
            #expect(one == two, "threads must not change the result (size \(size))")
            #expect(one == three, "threads must not change the result (size \(size))")
            #expect(one == four, "threads must not change the result (size \(size))")
        }
    }

    @Test("unnormalised weights, a zero weight, and no updates")
    func edgeCases() {
        let a: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let b: [Float] = [9, 8, 7, 6, 5, 4, 3, 2, 1]
        let c: [Float] = Array(repeating: 1e6, count: 9)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeBufferPointer { pc in
                    // (3a + b)/4, c ignored (weight 0).
                    let out = WeightedMean.mean(of: [pa, pb, pc], weights: [3, 1, 0], threads: 2)
                    #expect(out == [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7])
                }
            }
        }
        #expect(WeightedMean.mean(of: [], weights: [], threads: 2) == [])
    }

    @Test("more threads than elements")
    func manyThreads() {
        let a: [Float] = [2], b: [Float] = [4]
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                #expect(WeightedMean.mean(of: [pa, pb], weights: [1, 1], threads: 4) == [3])
            }
        }
    }
}
