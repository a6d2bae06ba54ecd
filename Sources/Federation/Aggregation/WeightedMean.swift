import Learning

/// Vectorised weighted sums of model vectors in float64.
public enum WeightedMean {
    /// `accumulator += weight · update`, element-wise, in float64.
    static func accumulate(_ update: UnsafeBufferPointer<Float>, weight: Double, into accumulator: UnsafeMutableBufferPointer<Double>) {
        let n = update.count
        let x = update.baseAddress!, a = accumulator.baseAddress!
        var i = 0
        let w = SIMD8<Double>(repeating: weight)
        while i + 8 <= n {
            let xs = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let d = SIMD8<Double>(xs)
            let p = UnsafeMutableRawPointer(a + i)
            p.storeBytes(of: p.loadUnaligned(as: SIMD8<Double>.self) + w * d, as: SIMD8<Double>.self)
            i += 8
        }
        while i < n { a[i] += weight * Double(x[i]); i += 1 }
    }

    /// The weighted mean of `updates` (all in memory) on `threads` threads, each summing its
    /// slice of the parameters over all updates in float64. Weights need not be normalised; they
    /// must not all be zero. (Streaming update after update measured faster than blocking the
    /// output to stay in cache: 2.0 against 4-5 ms for 10 updates of 10⁶ parameters.)
    public static func mean(of updates: [UnsafeBufferPointer<Float>], weights: [Double], threads: Int = 1) -> [Float] {
        guard let count = updates.first?.count else { return [] }
        let total = weights.reduce(0, +)
        let scaled = weights.map { $0 / total }
        let sources = updates.map { UncheckedPointer(UnsafeMutablePointer(mutating: $0.baseAddress!)) }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { o in
            let target = UncheckedPointer(o.baseAddress!)
            let parts = max(1, min(threads, count / 4096 + 1))
            parallelFor(parts) { t in
                let start = count * t / parts, len = count * (t + 1) / parts - start
                var acc = [Double](repeating: 0, count: len)
                acc.withUnsafeMutableBufferPointer { a in
                    for (u, w) in zip(sources, scaled) {
                        accumulate(UnsafeBufferPointer(start: u.pointer + start, count: len), weight: w, into: a)
                    }
                    let dst = target.pointer + start
                    for i in 0..<len { dst[i] = Float(a[i]) }
                }
            }
        }
        return out
    }
}

/// A pointer to memory written at disjoint indices by parallel iterations.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
