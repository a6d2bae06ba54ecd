import ArgumentParser
import Foundation
import Routing
import Workbench

/// The options that name a scenario case and its balancer, shared by `proxy simulate` and
/// `proxy emulate`.
struct ScenarioCaseOptions: ParsableArguments {
    @Option(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "The balancer (algorithm) to run.")
    var balancer: String = "slo_aware"

    @Option(name: .customLong("case"), help: "Which scenario of the file: e.g. static or dynamic.")
    var scenarioName: String = "dynamic"

    @Option(help: "A variant of the scenario's events (e.g. calibrated).")
    var variant: String?

    @Option(help: ArgumentHelp("Another plugin directory (repeatable).", valueName: "dir"))
    var plugins: [String] = []

    /// The scenario file, loaded and checked.
    func loadScenario() throws -> Scenario {
        try Scenario.load(contentsOf: URL(fileURLWithPath: scenario))
    }

    /// The case these options name in `loaded`: an unknown case or variant is one line naming
    /// the file and the names it has.
    func scenarioCase(in loaded: Scenario) throws -> ScenarioCase {
        guard loaded.scenarios[scenarioName] != nil else {
            throw WorkbenchError.invalidInput("\(scenario): no scenario '\(scenarioName)' (has: \(loaded.scenarios.keys.sorted().joined(separator: ", ")))")
        }
        if let variant, loaded.variants?[variant] == nil {
            throw WorkbenchError.invalidInput("\(scenario): no variant '\(variant)' (has: \((loaded.variants?.keys ?? []).sorted().joined(separator: ", ")))")
        }
        return ScenarioCase(scenario: scenarioName, variant: variant)
    }
}
