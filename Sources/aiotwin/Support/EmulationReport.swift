import Foundation
import Routing

/// The output of `aiotwin proxy emulate`: the emulated run in the form of `proxy simulate`
/// (text or JSON), beside the simulation of the same case and seed, with the differences.
struct EmulationReport {
    let emulation: EmulationResult
    let simulation: SimulationResult
    let balancer: String
    let scenarioCase: ScenarioCase
    /// The scenario's instance names, in file order.
    let instances: [String]

    private var comparison: SummaryComparison {
        SummaryComparison(emulated: emulation.run.summary, simulated: simulation.summary)
    }

    /// The keys of `proxy simulate --json` for one summary.
    private func summaryObject(_ s: SimulationSummary) -> [String: Any] {
        ["requests": s.requests, "success_rate": s.successRate, "mean_response_ms": s.meanMs, "p50_ms": s.p50Ms,
         "p99_ms": s.p99Ms, "per_instance": s.perInstance, "transport_errors": s.transportErrors, "unrouted": s.unrouted,
         "phases": s.phases.map { p in
             ["id": p.id, "requests": p.requests, "success_rate": p.successRate, "mean_ms": p.meanMs, "per_instance": p.perInstance] as [String: Any]
         }]
    }

    /// Pretty-printed JSON with sorted keys.
    func json() throws -> String {
        var object = summaryObject(emulation.run.summary)
        let c = comparison
        var difference: [String: Any] = [:]
        for key in ["success_rate", "mean_response_ms", "p50_ms", "p99_ms"] { difference[key] = c.row(key)?.difference ?? 0 }
        difference["share"] = c.shares.mapValues(\.difference)
        object["mode"] = "emulation"
        object["seeds"] = [Int(emulation.run.seed)]
        object["balancer"] = balancer
        object["case"] = scenarioCase.description
        object["speedup"] = emulation.timeScale.speedup
        object["wall_s"] = emulation.wallSeconds
        object["lateness_ms"] = ["mean": emulation.lateness.meanMs, "p99": emulation.lateness.p99Ms, "max": emulation.lateness.maxMs]
        object["host_busy"] = emulation.lateness.isDisturbed
        object["proxy_attempts"] = emulation.attempts.mapValues { $0.mapValues { Int($0) } }
        object["final_pool"] = emulation.run.finalPools.first ?? []
        object["simulation"] = summaryObject(simulation.summary)
        object["difference"] = difference
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Printed when the send lateness shows that the host was busy.
    static let busyWarning = "  warning: the host was busy (late sends): stalls add to the response times in flight; rerun on an idle machine or with a lower --speedup"

    /// The text summary.
    func text() -> String {
        let e = emulation.run.summary, s = simulation.summary
        var lines: [String] = []
        lines.append(String(format: "%@ on %@, seed %llu, emulated over loopback at %gx: %d requests in %.1f s wall",
                            balancer, scenarioCase.description, emulation.run.seed, emulation.timeScale.speedup, e.requests,
                            emulation.wallSeconds))
        lines.append(String(format: "  success %.2f%%, mean %.2f ms, p50 %.2f ms, p99 %.2f ms", 100 * e.successRate, e.meanMs, e.p50Ms, e.p99Ms))
        for (phase, simulated) in zip(e.phases, s.phases) where e.phases.count > 1 {
            lines.append(String(format: "  phase %@: success %.2f%% (simulated %.2f%%), mean %.2f ms (simulated %.2f ms)",
                                phase.id, 100 * phase.successRate, 100 * simulated.successRate, phase.meanMs, simulated.meanMs))
        }
        lines.append("  per instance: " + e.perInstance.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if e.transportErrors > 0 || e.unrouted > 0 {
            lines.append("  transport errors \(e.transportErrors), unrouted \(e.unrouted)")
        }
        lines.append("")
        lines.append("                        emulated   simulated  difference")
        for row in comparison.rows {
            if row.key == "success_rate" || row.key.hasPrefix("share:") {
                let label = row.key == "success_rate" ? "success" : "share \(row.key.dropFirst(6))"
                lines.append(String(format: "  %-18@ %9.2f%% %10.2f%% %+8.2f pp", label, 100 * row.emulated, 100 * row.simulated, 100 * row.difference))
            } else {
                let label = row.key == "mean_response_ms" ? "mean (ms)" : row.key == "p50_ms" ? "p50 (ms)" : "p99 (ms)"
                lines.append(String(format: "  %-18@ %10.2f %11.2f %+11.2f", label, row.emulated, row.simulated, row.difference))
            }
        }
        lines.append("")
        let attempts = emulation.attempts.sorted { $0.key < $1.key }.map { instance, outcomes in
            "\(instance) " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " ")
        }
        lines.append("  proxy attempts: " + attempts.joined(separator: "; "))
        lines.append("  final pool: " + (emulation.run.finalPools.first ?? []).joined(separator: ", ")
                     + " (simulated: " + (simulation.finalPools.first ?? []).joined(separator: ", ") + ")")
        lines.append(String(format: "  send lateness (wall): mean %.3f ms, p99 %.3f ms, max %.3f ms",
                            emulation.lateness.meanMs, emulation.lateness.p99Ms, emulation.lateness.maxMs))
        if emulation.lateness.isDisturbed { lines.append(Self.busyWarning) }
        return lines.joined(separator: "\n")
    }
}
