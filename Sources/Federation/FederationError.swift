/// Errors of federated learning set-ups, raised before training starts. One line each.
public enum FederationError: Error, Equatable, CustomStringConvertible {
    /// A topology that cannot run: the message names the node and the problem.
    case invalidTopology(String)
    /// A stop criterion or budget that can never be met or is malformed.
    case impossibleTarget(String)
    /// An invalid option.
    case invalidConfiguration(String)
    /// A checkpoint that does not fit the run being resumed.
    case invalidCheckpoint(String)

    public var description: String {
        switch self {
        case let .invalidTopology(m): return "invalid topology: \(m)"
        case let .impossibleTarget(m): return "impossible target: \(m)"
        case let .invalidConfiguration(m): return m
        case let .invalidCheckpoint(m): return "cannot resume: \(m)"
        }
    }
}
