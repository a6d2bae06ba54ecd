/// A change of a policy's pool during a simulation (proxy 0).
public struct PoolChange: Hashable, Sendable {
    /// When the pool changed (s).
    public var time: Double
    /// The number of requests that had arrived by then.
    public var requestsSoFar: Int
    /// The new pool (instance names).
    public var pool: [String]
}
