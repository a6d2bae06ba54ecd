import Foundation

extension Simulator {
    /// Runs `algorithm` on `scenarioCase` once per seed (by default the scenario's
    /// `workload.seeds` seeds from `first_seed`) and collects the summaries. With `parallel`, the
    /// seeds run on all cores; the result does not depend on it.
    public static func runSeeds(scenario: Scenario, scenarioCase: ScenarioCase, algorithm: String,
                                seeds: [UInt64]? = nil, proxies: Int = 1, parallel: Bool = false) throws -> SeedRunSummary {
        let seedList = seeds ?? scenario.workload.seedRange
        _ = try PolicyFactory.spec(named: algorithm, in: scenario)
        _ = try scenario.phases(of: scenarioCase.scenario, variant: scenarioCase.variant)
        let box = ResultBox(count: seedList.count)
        let work: @Sendable (Int) -> Void = { i in
            let sim = try! Simulator(scenario: scenario, scenarioCase: scenarioCase, algorithm: algorithm,
                                     seed: seedList[i], proxies: proxies)
            box.set(i, sim.run().summary)
        }
        if parallel, seedList.count > 1 {
            DispatchQueue.concurrentPerform(iterations: seedList.count, execute: work)
        } else {
            for i in seedList.indices { work(i) }
        }
        return SeedRunSummary(algorithm: algorithm, scenarioCase: scenarioCase, seeds: seedList, summaries: box.values())
    }
}

/// Thread-safe slots for per-seed results.
private final class ResultBox: @unchecked Sendable {
    private var slots: [SimulationSummary?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ s: SimulationSummary) { lock.lock(); slots[i] = s; lock.unlock() }
    func values() -> [SimulationSummary] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
