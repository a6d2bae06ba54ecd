import Testing
import Learning

@Suite("BLAS kernel selection")
struct KernelAdvisorTests {
    func cpu(_ flags: String, vendor: String = "GenuineIntel") -> CPUFeatures {
        CPUFeatures(vendor: vendor, modelName: "test", family: 6, model: 207, flags: Set(flags.split(separator: " ").map(String.init)),
                    logicalCPUs: 2, megahertz: 2600)
    }
    let avx512 = "sse4_2 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl"

    @Test("a fallback to Prescott on an AVX-512 CPU selects an AVX-512 kernel")
    func fallback() {
        #expect(KernelAdvisor.decide(currentCore: "Prescott", cpu: cpu(avx512), environment: [:]) == .select(core: "SkylakeX"))
        #expect(KernelAdvisor.decide(currentCore: "Prescott", cpu: cpu(avx512 + " avx512_bf16"), environment: [:]) == .select(core: "Cooperlake"))
        #expect(KernelAdvisor.decide(currentCore: "Nehalem", cpu: cpu("avx avx2 fma"), environment: [:]) == .select(core: "Haswell"))
        #expect(KernelAdvisor.decide(currentCore: "Barcelona", cpu: cpu("avx avx2 fma", vendor: "AuthenticAMD"), environment: [:]) == .select(core: "Zen"))
    }

    @Test("a correct detection is kept")
    func keep() {
        #expect(KernelAdvisor.decide(currentCore: "SkylakeX", cpu: cpu(avx512), environment: [:]) == .keep)
        #expect(KernelAdvisor.decide(currentCore: "Cooperlake", cpu: cpu(avx512 + " avx512_bf16"), environment: [:]) == .keep)
        #expect(KernelAdvisor.decide(currentCore: "Prescott", cpu: cpu("sse4_2"), environment: [:]) == .keep)
    }

    @Test("OPENBLAS_CORETYPE set by the user or the machine is never overridden")
    func respects() {
        let env = ["OPENBLAS_CORETYPE": "Haswell"]
        #expect(KernelAdvisor.decide(currentCore: "Haswell", cpu: cpu(avx512), environment: env)
                == .respectEnvironment(value: "Haswell", better: "SkylakeX"))
        #expect(KernelAdvisor.decide(currentCore: "Prescott", cpu: cpu(avx512), environment: ["OPENBLAS_CORETYPE": ""])
                == .respectEnvironment(value: "", better: "SkylakeX"))
    }

    @Test("a restarted process never restarts again")
    func noLoop() {
        #expect(KernelAdvisor.decide(currentCore: "Prescott", cpu: cpu(avx512),
                                     environment: [KernelAdvisor.reexecMarker: "SkylakeX", "OPENBLAS_CORETYPE": "SkylakeX"]) == .keep)
    }

    @Test("/proc/cpuinfo is parsed from the first processor block")
    func parse() {
        let text = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 26
            model\t\t: 2
            model name\t: AMD EPYC
            cpu MHz\t\t: 2596.000
            flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl avx512_bf16

            processor\t: 1
            vendor_id\t: Other
            """
        let c = CPUFeatures.parse(cpuinfo: text, logicalCPUs: 2)
        #expect(c.vendor == "AuthenticAMD" && c.family == 26 && c.model == 2 && c.megahertz == 2596)
        #expect(c.hasAVX512BF16)
        #expect(KernelAdvisor.bestCore(for: c) == "Cooperlake")
        #expect(c.nominalPeakGFLOPS! > 166 && c.nominalPeakGFLOPS! < 167)
    }
}
