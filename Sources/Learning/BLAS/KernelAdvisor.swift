/// Decides whether OpenBLAS runs the right kernel for this CPU.
///
/// Debian's OpenBLAS 0.3.21 (`DYNAMIC_ARCH`) does not know recent CPUs and may fall back to its
/// generic Prescott (SSE3) kernels: about 30 GFLOP/s per core where the CPU does 130-230. The
/// advisor compares the kernel OpenBLAS chose with the best one the CPU's features allow. It
/// never overrides an `OPENBLAS_CORETYPE` that the user or the machine set.
public enum KernelAdvisor {
    /// What to do about the kernel.
    public enum Decision: Sendable, Equatable {
        /// The kernel in use is right (or as good as the CPU allows).
        case keep
        /// `OPENBLAS_CORETYPE` is set; it is respected. `better` names a faster kernel when one exists.
        case respectEnvironment(value: String, better: String?)
        /// OpenBLAS fell back to a weaker kernel; restart with `OPENBLAS_CORETYPE = core`.
        case select(core: String)
    }

    /// Vector capability of an OpenBLAS x86-64 core name: 1 SSE, 2 AVX, 3 AVX2, 4 AVX-512, 5 AVX-512 + BF16.
    public static func capability(ofCore name: String) -> Int {
        switch name.lowercased() {
        case "cooperlake", "sapphirerapids": return 5
        case "skylakex": return 4
        case "haswell", "zen", "skylake": return 3
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": return 2
        default: return 1  // Prescott, Core2, Penryn, Nehalem, Atom, Opteron, Barcelona, generic
        }
    }

    /// The best kernel of Debian's OpenBLAS 0.3.21 for these features, or `nil` when none applies.
    public static func bestCore(for cpu: CPUFeatures) -> String? {
        if cpu.hasAVX512BF16 { return "Cooperlake" }
        if cpu.hasAVX512 { return "SkylakeX" }
        if cpu.hasAVX2 { return cpu.vendor == "AuthenticAMD" ? "Zen" : "Haswell" }
        if cpu.hasAVX { return "Sandybridge" }
        return nil
    }

    /// The decision for a process whose OpenBLAS chose `currentCore`, given its environment.
    public static func decide(currentCore: String, cpu: CPUFeatures, environment: [String: String]) -> Decision {
        let best = bestCore(for: cpu)
        let better = best.flatMap { capability(ofCore: $0) > capability(ofCore: currentCore) ? $0 : nil }
        // aiotwin itself selected the kernel before restarting: nothing more to do (and never
        // restart twice).
        if environment[reexecMarker] != nil { return .keep }
        if let value = environment["OPENBLAS_CORETYPE"] {
            return .respectEnvironment(value: value, better: better)
        }
        if let better { return .select(core: better) }
        return .keep
    }

    /// Environment variable set on the restarted process, holding the kernel aiotwin selected.
    public static let reexecMarker = "AIOTWIN_BLAS_SELECTED"
}
