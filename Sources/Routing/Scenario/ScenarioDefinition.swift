/// One entry of the scenario file's `scenarios` map (e.g. `static`, `dynamic`).
public struct ScenarioDefinition: Hashable, Sendable, Codable {
    /// Number of requests of a run.
    public var requests: Int
    /// Informative phase length (requests).
    public var phaseLengthRequests: Int?
    /// Instances present (and known to the proxy) at time 0.
    public var initialInstances: [String]
    /// Phases in order; the first starts at request 0.
    public var phases: [Phase]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case requests, phases
        case phaseLengthRequests = "phase_length_requests", initialInstances = "initial_instances"
    }

    /// Index of the phase that request `index` belongs to.
    public func phaseIndex(ofRequest index: Int) -> Int {
        var p = 0
        for (i, phase) in phases.enumerated() where phase.startRequest <= index { p = i }
        return p
    }
}
