/// Everything an emulation does, in time order: the requests at their Poisson arrival times
/// and the scenario's events (as ``ClusterAction``s) just before the request that starts their
/// phase, in scenario seconds. A pure function of (scenario, case, seed, request limit).
public struct EmulationPlan: Hashable, Sendable {
    /// One timed action.
    public struct Step: Hashable, Sendable {
        /// When it happens (scenario seconds from the start).
        public var time: Double
        /// What happens.
        public var action: ClusterAction
        /// Index of the phase the step belongs to.
        public var phase: Int
    }

    /// The steps, ordered by time; at equal times, in the order they were planned (a phase's
    /// events before its first request).
    public let steps: [Step]
    /// The phases of the case (with the variant's events), limited to the planned requests.
    public let phases: [Phase]
    /// Arrival time of each request (scenario seconds).
    public let arrivals: [Double]
    /// Instances deployed and visible at time 0, in scenario order.
    public let initialInstances: [String]

    /// Plans `requests` requests (default: the case's count) of `scenarioCase` with `seed`.
    /// Throws ``ScenarioError`` for an unknown scenario or variant.
    public init(scenario: Scenario, scenarioCase: ScenarioCase, seed: UInt64, requests: Int? = nil) throws {
        guard let definition = scenario.scenarios[scenarioCase.scenario] else {
            throw ScenarioError.unknownScenario(scenarioCase.scenario)
        }
        let count = min(max(0, requests ?? definition.requests), definition.requests)
        let allPhases = try scenario.phases(of: scenarioCase.scenario, variant: scenarioCase.variant)
        let phases = allPhases.filter { $0.startRequest < max(count, 1) }
        let arrivals = ArrivalSchedule(seed: seed, workload: scenario.workload, requests: count).times
        var steps: [Step] = []
        var phaseIndex = 0
        for k in 0..<count {
            if let p = phases.firstIndex(where: { $0.startRequest == k }) {
                phaseIndex = p
                for event in phases[p].events {
                    for (delay, action) in ClusterAction.actions(for: event) {
                        steps.append(Step(time: arrivals[k] + delay, action: action, phase: p))
                    }
                }
            }
            steps.append(Step(time: arrivals[k], action: .request(index: k), phase: phaseIndex))
        }
        // A stable sort keeps the planning order among equal times.
        self.steps = steps.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
        self.phases = phases
        self.arrivals = arrivals
        let order = scenario.instances.map(\.name)
        self.initialInstances = order.filter(definition.initialInstances.contains)
    }

    /// Number of requests planned.
    public var requestCount: Int { arrivals.count }

    /// The time of the last step (scenario seconds), 0 without steps.
    public var duration: Double { steps.last?.time ?? 0 }
}
