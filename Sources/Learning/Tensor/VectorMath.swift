/// Small vector kernels for loops the compiler does not vectorise on its own (reductions, whose
/// order it must preserve). Each accumulates in a fixed order, so results are deterministic.
enum VectorMath {
    /// The sum of `count` floats, in 16 lanes.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        let raw = UnsafeRawPointer(p)
        var i = 0
        while i + 16 <= count {
            acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var s = acc.sum()
        while i < count { s += p[i]; i += 1 }
        return s
    }
}
