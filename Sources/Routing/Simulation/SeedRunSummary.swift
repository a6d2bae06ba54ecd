import Foundation

/// The average over seeds of one algorithm on one scenario case.
public struct SeedRunSummary: Sendable {
    /// The algorithm.
    public var algorithm: String
    /// The scenario case.
    public var scenarioCase: ScenarioCase
    /// The seeds, in order.
    public var seeds: [UInt64]
    /// One summary per seed.
    public var summaries: [SimulationSummary]

    /// Mean over seeds of the per-run mean response (ms).
    public var meanMs: Double { average(summaries.map(\.meanMs)) }
    /// Mean over seeds of the per-run success fraction.
    public var successRate: Double { average(summaries.map(\.successRate)) }
    /// Standard deviation over seeds of the per-run means (ms).
    public var meanSdMs: Double {
        let m = meanMs
        let n = Double(summaries.count)
        guard n > 1 else { return 0 }
        return (summaries.map { ($0.meanMs - m) * ($0.meanMs - m) }.reduce(0, +) / (n - 1)).squareRoot()
    }
    /// The lowest per-run success fraction.
    public var minSuccessRate: Double { summaries.map(\.successRate).min() ?? 0 }
    /// Mean over seeds of the share of instance `name`.
    public func share(_ name: String) -> Double { average(summaries.map { $0.share(name) }) }
    /// Mean over seeds of the share of instance `name` in phase `phase`.
    public func share(_ name: String, phase: String) -> Double {
        average(summaries.compactMap { $0.phase(phase)?.share(name) })
    }
    /// Mean over seeds of the success fraction of phase `phase`.
    public func successRate(phase: String) -> Double { average(summaries.compactMap { $0.phase(phase)?.successRate }) }

    private func average(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
}
