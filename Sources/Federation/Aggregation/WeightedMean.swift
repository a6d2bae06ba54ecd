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

    /// The weighted mean of `updates` (all in memory), computed block by block so that each
    /// output block is summed in registers and cache, on `threads` threads. Weights need not be
    /// normalised; they must not all be zero.
    public static func mean(of updates: [UnsafeBufferPointer<Float>], weights: [Double], threads: Int = 1) -> [Float] {
        guard let count = updates.first?.count else { return [] }
        let total = weights.reduce(0, +)
        var out = [Float](repeating: 0, count: count)
        let scaled = weights.map { $0 / total }
        out.withUnsafeMutableBufferPointer { o in
            let outPointer = UncheckedPointer(o.baseAddress!)
            let parts = max(1, threads)
            let chunk = (count + parts - 1) / parts
            let body: (Int) -> Void = { t in
                let start = t * chunk, end = min(count, start + chunk)
                guard start < end else { return }
                var block = [Double](repeating: 0, count: 1024)
                var b = start
                while b < end {
                    let len = min(1024, end - b)
                    block.withUnsafeMutableBufferPointer { acc in
                        let accSlice = UnsafeMutableBufferPointer(rebasing: acc[0..<len])
                        accSlice.update(repeating: 0)
                        for (u, w) in zip(updates, scaled) {
                            accumulate(UnsafeBufferPointer(rebasing: u[b..<(b + len)]), weight: w, into: accSlice)
                        }
                        for i in 0..<len { outPointer.pointer[b + i] = Float(acc[i]) }
                    }
                    b += len
                }
            }
            parallelFor(parts, body)
        }
        return out
    }
}

/// A pointer to memory written at disjoint indices by parallel iterations.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
