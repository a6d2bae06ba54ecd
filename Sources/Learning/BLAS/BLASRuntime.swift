import COpenBLAS
import Foundation

/// What the loaded OpenBLAS library is doing: its kernel, threading model and thread count.
public enum BLASRuntime {
    /// The kernel ("core") OpenBLAS selected, e.g. `Cooperlake`, `SkylakeX`, `Haswell`, `Prescott`.
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS's build configuration string (version, DYNAMIC_ARCH, MAX_THREADS, …).
    public static var configuration: String {
        guard let p = openblas_get_config() else { return "unknown" }
        return String(cString: p).trimmingCharacters(in: .whitespaces)
    }

    /// The threading model OpenBLAS was built with.
    public static var parallelism: String {
        switch openblas_get_parallel() {
        case 0: return "sequential"
        case 1: return "pthreads"
        case 2: return "OpenMP"
        default: return "unknown"
        }
    }

    /// The number of threads OpenBLAS uses for one call.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses inside one call.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// Measures single-precision GEMM throughput for square `n×n` matrices (GFLOP/s, best of
    /// `repeats`), with the current BLAS thread count.
    public static func measureSGEMM(n: Int = 1024, repeats: Int = 5) -> Double {
        let a = [Float](repeating: 0.5, count: n * n)
        let b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        for rep in 0...repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            c.withUnsafeMutableBufferPointer { cp in
                sgemm(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: cp.baseAddress!, ldc: n)
            }
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
            if rep > 0 { best = min(best, dt) }  // the first call warms up buffers and threads
        }
        return 2 * Double(n * n * n) / best / 1e9
    }

    /// Checks the kernel's SGEMM against a double-precision reference on awkward shapes and all
    /// transpositions; returns the worst relative error (about 1e-7 for a correct kernel).
    public static func verifySGEMM() -> Double {
        var rng = SeededGenerator(seed: 7)
        var worst = 0.0
        for (m, n, k) in [(1, 1, 1), (17, 33, 65), (64, 48, 800), (130, 7, 31)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }
                let b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
                var c = [Float](repeating: 0, count: m * n)
                c.withUnsafeMutableBufferPointer { cp in
                    sgemm(transA: ta, transB: tb, m: m, n: n, k: k,
                          a: a, lda: ta ? m : k, b: b, ldb: tb ? k : n, c: cp.baseAddress!, ldc: n)
                }
                for i in 0..<m {
                    for j in 0..<n {
                        var ref = 0.0, mag = 0.0
                        for l in 0..<k {
                            let x = Double(ta ? a[l * m + i] : a[i * k + l])
                            let y = Double(tb ? b[j * k + l] : b[l * n + j])
                            ref += x * y; mag += abs(x * y)
                        }
                        worst = max(worst, abs(Double(c[i * n + j]) - ref) / max(mag, 1e-30))
                    }
                }
            }
        }
        return worst
    }
}
