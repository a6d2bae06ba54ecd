import Foundation
import Learning

/// Restarts the process with `OPENBLAS_CORETYPE` set when Debian's OpenBLAS fell back to a
/// weaker kernel than the CPU supports.
///
/// OpenBLAS picks its kernel in a library constructor, before `main`, so the only sound way to
/// change it is to set the variable and exec ourselves again. A value set by the user or the
/// machine is never overridden; `aiotwin doctor` reports it with the measured difference.
enum BLASKernelSelection {
    static func restartIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        // AIOTWIN_ASSUME_BLAS_CORE lets tests exercise the restart on machines whose OpenBLAS
        // already detects the CPU correctly.
        let current = environment["AIOTWIN_ASSUME_BLAS_CORE"] ?? BLASRuntime.coreName
        let decision = KernelAdvisor.decide(currentCore: current, cpu: CPUFeatures.current(),
                                            environment: environment)
        if case let .select(core) = decision {
            restart(coreType: core, marker: core)
            warn("could not restart with OPENBLAS_CORETYPE=\(core) (\(String(cString: strerror(errno)))); running the \(BLASRuntime.coreName) kernel")
            return
        }
        // After a restart with a kernel we chose, check that it computes correctly; if not, go
        // back to OpenBLAS's own choice rather than compute garbage fast.
        if let selected = environment[KernelAdvisor.reexecMarker], !selected.hasPrefix("rejected:") {
            let error = BLASRuntime.verifySGEMM()
            if !(error < 1e-5) {
                warn("OpenBLAS kernel \(selected) failed verification (relative error \(error)); using OpenBLAS's own choice")
                restart(coreType: nil, marker: "rejected:\(selected)")
            }
        }
    }

    /// Replaces the process image with itself under a changed environment (returns only on failure).
    private static func restart(coreType: String?, marker: String) {
        if let coreType { setenv("OPENBLAS_CORETYPE", coreType, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
        setenv(KernelAdvisor.reexecMarker, marker, 1)
        var cArgs = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &cArgs)
    }

    private static func warn(_ message: String) {
        FileHandle.standardError.write(Data("aiotwin: warning: \(message)\n".utf8))
    }
}
