import ArgumentParser
import Foundation
import Learning
import Scripting
import Storage

/// `aiotwin doctor`: checks the machine and says what to fix.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the BLAS kernel, CPU, libraries and data sets, with hints.")

    @Flag(help: .hidden) var sgemmProbe = false

    func run() throws {
        if sgemmProbe {
            // Used by doctor itself to measure another kernel in a child process.
            BLASRuntime.setThreads(1)
            print(String(format: "%@ %.1f", BLASRuntime.coreName, BLASRuntime.measureSGEMM()))
            return
        }
        let cpu = CPUFeatures.current()
        let env = ProcessInfo.processInfo.environment
        var problems = 0
        func line(_ label: String, _ text: String, hint: String? = nil) {
            print(label.padding(toLength: 15, withPad: " ", startingAt: 0) + text)
            if let hint { print(String(repeating: " ", count: 15) + "hint: " + hint); problems += 1 }
        }

        print("aiotwin \(AIoTwin.version)")
        let clock = cpu.megahertz.map { String(format: ", %.0f MHz nominal", $0) } ?? ""
        line("CPU", "\(cpu.modelName) (\(cpu.vendor) family \(cpu.family) model \(cpu.model)), \(cpu.logicalCPUs) logical CPUs\(clock)")
        line("vector units", cpu.vectorSummary)

        let core = BLASRuntime.coreName
        let best = KernelAdvisor.bestCore(for: cpu)
        var origin = "chosen by OpenBLAS"
        var kernelHint: String?
        if let selected = env[KernelAdvisor.reexecMarker] {
            origin = selected.hasPrefix("rejected:")
                ? "OpenBLAS's choice; aiotwin's \(selected.dropFirst(9)) failed verification"
                : "selected by aiotwin, OpenBLAS had fallen back to a weaker kernel"
        } else if let value = env["OPENBLAS_CORETYPE"] {
            origin = "OPENBLAS_CORETYPE=\(value) set in the environment (respected)"
            if case let .respectEnvironment(_, better?) = KernelAdvisor.decide(currentCore: core, cpu: cpu, environment: env) {
                let other = probe(coreType: better)
                let mine = probe(coreType: value)
                kernelHint = "this CPU runs the \(better) kernel" + (other.map { String(format: " at %.0f GFLOP/s per core", $0) } ?? "")
                    + (mine.map { String(format: " (vs %.0f now)", $0) } ?? "")
                    + "; unset OPENBLAS_CORETYPE (the best kernel is then used) or set it to \(better)"
            }
        }
        line("OpenBLAS", "\(BLASRuntime.configuration)")
        line("BLAS kernel", "\(core) (\(origin)); best for this CPU: \(best ?? "generic"); threading: \(BLASRuntime.parallelism)",
             hint: kernelHint)

        let error = BLASRuntime.verifySGEMM()
        line("sgemm check", String(format: "worst relative error %.1e against float64", error),
             hint: error < 1e-5 ? nil : "the kernel computes wrong results: set OPENBLAS_CORETYPE to a kernel that passes (e.g. Haswell)")

        BLASRuntime.setThreads(1)
        let one = BLASRuntime.measureSGEMM()
        BLASRuntime.setThreads(cpu.logicalCPUs)
        let all = BLASRuntime.measureSGEMM()
        BLASRuntime.setThreads(1)
        var perf = String(format: "%.0f GFLOP/s on 1 thread, %.0f on %d (n = 1024)", one, all, cpu.logicalCPUs)
        if let peak = cpu.nominalPeakGFLOPS {
            perf += String(format: "; nominal peak %.0f per core (%d FLOP/cycle), %.0f%% of it", peak, cpu.flopsPerCycle, 100 * one / peak)
        }
        line("sgemm speed", perf,
             hint: cpu.nominalPeakGFLOPS.map { one < 0.35 * $0 } == true
                ? "far below peak: check the kernel above, and that no other process loads the CPU" : nil)
        if let l2 = env["OPENBLAS_L2_SIZE"] { line("", "OPENBLAS_L2_SIZE=\(l2) is set in the environment") }
        if let n = env["OPENBLAS_NUM_THREADS"] { line("", "OPENBLAS_NUM_THREADS=\(n) is set; aiotwin sets threads per call itself") }

        line("Lua", LuaRuntime.release)
        line("HDF5", HDF5Library.version + (HDF5Library.isThreadSafe ? " (thread-safe build)" : ""))

        do {
            let split = try MNISTFormat.fashionMNIST()
            line("Fashion-MNIST", "\(MNISTFormat.fashionMNISTDirectory): \(split.train.count) training and \(split.test.count) test images")
        } catch {
            line("Fashion-MNIST", "not usable: \(error)", hint: "apt-get install dataset-fashion-mnist")
        }
        print(problems == 0 ? "\nno problems found" : "\n\(problems) hint(s) above")
    }

    /// Measures one-thread sgemm with another kernel in a child process.
    private func probe(coreType: String) -> Double? {
        let process = Process()
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["doctor", "--sgemm-probe"]
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_CORETYPE"] = coreType
        env[KernelAdvisor.reexecMarker] = "probe"
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let fields = String(decoding: out, as: UTF8.self).split(separator: " ")
        return fields.count == 2 ? Double(fields[1].trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }
}
