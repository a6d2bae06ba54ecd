import Foundation

/// What the CPU can do, as far as choosing a BLAS kernel is concerned (read from /proc/cpuinfo).
public struct CPUFeatures: Sendable, Equatable {
    /// `GenuineIntel`, `AuthenticAMD`, …
    public var vendor: String
    /// The marketing name.
    public var modelName: String
    /// CPU family and model numbers.
    public var family: Int, model: Int
    /// Feature flags (lower case, as the kernel prints them).
    public var flags: Set<String>
    /// Logical CPUs online.
    public var logicalCPUs: Int
    /// Nominal clock in MHz, when known.
    public var megahertz: Double?

    /// Creates a feature set (tests build these by hand).
    public init(vendor: String, modelName: String, family: Int, model: Int, flags: Set<String>,
                logicalCPUs: Int, megahertz: Double?) {
        self.vendor = vendor; self.modelName = modelName; self.family = family; self.model = model
        self.flags = flags; self.logicalCPUs = logicalCPUs; self.megahertz = megahertz
    }

    /// AVX-512 with the subsets OpenBLAS's SkylakeX kernels need.
    public var hasAVX512: Bool { flags.isSuperset(of: ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]) }
    /// AVX-512 BF16 (Cooper Lake and later, Zen 4 and later).
    public var hasAVX512BF16: Bool { hasAVX512 && flags.contains("avx512_bf16") }
    /// AVX2 with FMA.
    public var hasAVX2: Bool { flags.isSuperset(of: ["avx2", "fma"]) }
    /// AVX.
    public var hasAVX: Bool { flags.contains("avx") }

    /// Single-precision FLOPs per cycle per core, assuming two FMA pipes of the widest vector.
    public var flopsPerCycle: Int { hasAVX512 ? 64 : hasAVX2 ? 32 : hasAVX ? 16 : 8 }

    /// Nominal single-precision peak of one core in GFLOP/s (turbo clocks can exceed it).
    public var nominalPeakGFLOPS: Double? { megahertz.map { $0 / 1000 * Double(flopsPerCycle) } }

    /// A short human-readable list of the vector extensions present.
    public var vectorSummary: String {
        var parts: [String] = []
        if flags.contains("sse4_2") { parts.append("SSE4.2") }
        if hasAVX { parts.append("AVX") }
        if hasAVX2 { parts.append("AVX2+FMA") }
        if hasAVX512 { parts.append("AVX-512") }
        if hasAVX512BF16 { parts.append("AVX512-BF16") }
        return parts.isEmpty ? "none detected" : parts.joined(separator: " ")
    }

    /// Reads the features of this machine (empty flags when /proc/cpuinfo is unavailable).
    public static func current() -> CPUFeatures {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return parse(cpuinfo: text, logicalCPUs: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Parses the first processor block of a /proc/cpuinfo text.
    public static func parse(cpuinfo: String, logicalCPUs: Int) -> CPUFeatures {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { if !fields.isEmpty { break } else { continue } }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        return CPUFeatures(
            vendor: fields["vendor_id"] ?? "unknown",
            modelName: fields["model name"] ?? "unknown",
            family: Int(fields["cpu family"] ?? "") ?? 0,
            model: Int(fields["model"] ?? "") ?? 0,
            flags: Set((fields["flags"] ?? "").split(separator: " ").map { String($0).lowercased() }),
            logicalCPUs: logicalCPUs,
            megahertz: Double(fields["cpu MHz"] ?? ""))
    }
}
