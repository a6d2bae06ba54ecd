/// Everything a simulated run produced.
public struct SimulationResult: Sendable {
    /// The algorithm's name.
    public var algorithm: String
    /// The scenario case.
    public var scenarioCase: ScenarioCase
    /// The seed.
    public var seed: UInt64
    /// Per-request records, in request order.
    public var records: [RequestRecord]
    /// Statistics.
    public var summary: SimulationSummary
    /// Pool changes of proxy 0, in time order (the first entry is the first non-empty pool).
    public var poolTrace: [PoolChange]
    /// Pool of proxy 0 at the end of each phase, by phase id.
    public var poolAtPhaseEnd: [String: [String]]
    /// Pool of every proxy at the end of the run.
    public var finalPools: [[String]]
}
