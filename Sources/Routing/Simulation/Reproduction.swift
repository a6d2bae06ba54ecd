import Foundation

/// One line of a reproduction: an algorithm on a scenario case, simulated over seeds, beside the
/// published result and the model expectation of the scenario file.
public struct ReproductionRow: Sendable {
    /// The algorithm name.
    public var algorithm: String
    /// The scenario case.
    public var scenarioCase: ScenarioCase
    /// The seed-averaged simulation.
    public var simulated: SeedRunSummary
    /// `published_results.<scenario>.<algorithm>`, if any.
    public var published: ResultPoint?
    /// `model_expectations.<case>.<algorithm>`, if any.
    public var expected: ResultPoint?
}

/// Runs algorithms over scenario cases and seeds, and checks the scenario file's `acceptance`
/// section (tolerances against `published_results`, orderings).
public struct ReproductionReport: Sendable {
    /// All rows, case by case, in algorithm order.
    public var rows: [ReproductionRow]

    /// The scenario cases a reproduction covers by default: every scenario, plus every
    /// (scenario, variant) named in `model_expectations` or `acceptance`.
    public static func defaultCases(_ scenario: Scenario) -> [ScenarioCase] {
        var cases = scenario.scenarios.keys.map { ScenarioCase(scenario: $0) }
        let keys = (scenario.modelExpectations?.keys.sorted() ?? []) + (scenario.acceptance?.tolerances.keys ?? [])
        for key in keys {
            if let c = scenario.scenarioCase(forKey: key), !cases.contains(c) { cases.append(c) }
        }
        return cases
    }

    /// The model-expectation key of `c` (`static`, `dynamic_default`, `dynamic_calibrated`).
    public static func expectationKey(_ c: ScenarioCase, in scenario: Scenario) -> String? {
        let keys = (scenario.modelExpectations.map { Array($0.keys) } ?? []) + (scenario.acceptance?.tolerances.keys ?? [])
        return keys.sorted().first { scenario.scenarioCase(forKey: $0) == c }
    }

    /// Simulates `algorithms` (default: the file's algorithms, then the built-ins it lacks) on
    /// `cases` (default: ``defaultCases(_:)``) over `seeds` (default: the file's seeds).
    public static func run(scenario: Scenario, cases: [ScenarioCase]? = nil, algorithms: [String]? = nil,
                           seeds: [UInt64]? = nil, parallel: Bool = true) throws -> ReproductionReport {
        let algs = algorithms ?? (scenario.algorithmNames + PolicyFactory.builtins.keys.filter { !scenario.algorithmNames.contains($0) })
        var rows: [ReproductionRow] = []
        for c in cases ?? defaultCases(scenario) {
            let key = expectationKey(c, in: scenario)
            for a in algs {
                let sim = try Simulator.runSeeds(scenario: scenario, scenarioCase: c, algorithm: a, seeds: seeds, parallel: parallel)
                rows.append(ReproductionRow(algorithm: a, scenarioCase: c, simulated: sim,
                                            published: scenario.publishedResults?[c.scenario]?[a],
                                            expected: key.flatMap { scenario.modelExpectations?[$0]?[a] }))
            }
        }
        return ReproductionReport(rows: rows)
    }

    /// The row of `algorithm` on `c`.
    public func row(_ algorithm: String, _ c: ScenarioCase) -> ReproductionRow? {
        rows.first { $0.algorithm == algorithm && $0.scenarioCase == c }
    }

    /// Checks the file's `acceptance` section on the simulated rows.
    public func acceptance(_ scenario: Scenario) -> [AcceptanceResult] {
        guard let acc = scenario.acceptance else { return [] }
        var out: [AcceptanceResult] = []
        for (key, tol) in acc.tolerances.entries {
            guard let c = scenario.scenarioCase(forKey: key) else { continue }
            for r in rows where r.scenarioCase == c && !(tol.exclude ?? []).contains(r.algorithm) {
                guard let pub = r.published else { continue }
                let dm = abs(r.simulated.meanMs - pub.meanMs)
                let ds = abs(r.simulated.successRate - pub.success)
                out.append(AcceptanceResult(check: "\(key) \(r.algorithm) mean |Δ| ≤ \(tol.meanAbsMs) ms", passed: dm <= tol.meanAbsMs,
                                            detail: String(format: "%.2f vs %.2f (Δ %.2f)", r.simulated.meanMs, pub.meanMs, dm)))
                out.append(AcceptanceResult(check: "\(key) \(r.algorithm) success |Δ| ≤ \(tol.successAbs * 100) pp", passed: ds <= tol.successAbs,
                                            detail: String(format: "%.2f%% vs %.2f%% (Δ %.2f pp)", 100 * r.simulated.successRate, 100 * pub.success, 100 * ds)))
            }
        }
        for (scenarioName, o) in acc.orderings.entries {
            for c in Set(rows.map(\.scenarioCase)).sorted(by: { $0.description < $1.description }) where c.scenario == scenarioName {
                if let list = o.successDescending {
                    let vals = list.compactMap { row($0, c)?.simulated.successRate }
                    guard vals.count == list.count else { continue }
                    let ok = zip(vals, vals.dropFirst()).allSatisfy { $0 > $1 }
                    out.append(AcceptanceResult(check: "\(c) success descending \(list.joined(separator: " > "))", passed: ok,
                                                detail: vals.map { String(format: "%.2f%%", 100 * $0) }.joined(separator: " > ")))
                }
                if let list = o.meanAscending {
                    let vals = list.compactMap { row($0, c)?.simulated.meanMs }
                    guard vals.count == list.count else { continue }
                    let ok = zip(vals, vals.dropFirst()).allSatisfy { $0 < $1 }
                    out.append(AcceptanceResult(check: "\(c) mean ascending \(list.joined(separator: " < "))", passed: ok,
                                                detail: vals.map { String(format: "%.2f", $0) }.joined(separator: " < ")))
                }
            }
        }
        return out
    }

    /// A Markdown table: simulated mean and success (with the sd of the per-seed means and the
    /// worst seed) beside the published and model values.
    public func render() -> String {
        func point(_ p: ResultPoint?) -> String {
            guard let p else { return "—" }
            return String(format: "%.2f / %.2f%%", p.meanMs, 100 * p.success)
        }
        var lines = ["| case | algorithm | simulated mean / success | sd of means | worst seed | published | model |",
                     "|---|---|---|---|---|---|---|"]
        for r in rows {
            let s = r.simulated
            lines.append(String(format: "| %@ | %@ | %.2f / %.2f%% | %.2f | %.2f%% | %@ | %@ |",
                                r.scenarioCase.description, r.algorithm, s.meanMs, 100 * s.successRate, s.meanSdMs,
                                100 * s.minSuccessRate, point(r.published), point(r.expected)))
        }
        return lines.joined(separator: "\n")
    }
}
