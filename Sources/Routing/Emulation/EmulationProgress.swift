/// Where a running emulation stands.
public struct EmulationProgress: Sendable {
    /// Requests sent.
    public var sent: Int
    /// Requests answered (or failed).
    public var answered: Int
    /// Requests planned.
    public var total: Int
    /// SLO successes among the answered.
    public var successes: Int
    /// Scenario seconds elapsed.
    public var scenarioTime: Double
    /// Wall-clock seconds elapsed.
    public var wallTime: Double
}
