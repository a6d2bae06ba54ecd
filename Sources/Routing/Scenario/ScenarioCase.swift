/// A scenario with an optional variant, named in the file as `static`, `dynamic_default` or
/// `dynamic_calibrated` (`<scenario>[_<variant>|_default]`).
public struct ScenarioCase: Hashable, Sendable, CustomStringConvertible {
    /// Scenario name (a key of `scenarios`).
    public var scenario: String
    /// Variant name (a key of `variants`), or `nil` for the default events.
    public var variant: String?

    /// Creates a case.
    public init(scenario: String, variant: String? = nil) {
        self.scenario = scenario
        self.variant = variant
    }

    /// Parses `key` against the scenario and variant names; `nil` if it names neither.
    public init?(key: String, scenarios: [String], variants: [String]) {
        if scenarios.contains(key) { self.init(scenario: key); return }
        for s in scenarios.sorted(by: { $0.count > $1.count }) where key.hasPrefix(s + "_") {
            let rest = String(key.dropFirst(s.count + 1))
            if rest == "default" { self.init(scenario: s); return }
            if variants.contains(rest) { self.init(scenario: s, variant: rest); return }
        }
        return nil
    }

    public var description: String { variant.map { "\(scenario)_\($0)" } ?? scenario }
}
