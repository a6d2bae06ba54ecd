extension Scenario {
    /// A copy in which scenario `name` ends after its first `requests` requests; phases that
    /// would start later are dropped. Everything before is unchanged, so a limited simulation
    /// equals the start of the full one. Throws ``ScenarioError/unknownScenario(_:)``.
    public func limited(scenario name: String, requests: Int) throws -> Scenario {
        guard var definition = scenarios[name] else { throw ScenarioError.unknownScenario(name) }
        let count = max(1, min(requests, definition.requests))
        definition.requests = count
        definition.phases = definition.phases.filter { $0.startRequest < count }
        var copy = self
        copy.scenarios[name] = definition
        return copy
    }
}
