/// Why an emulation could not run.
public enum EmulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An invalid option (speedup, request count, ...).
    case invalidOption(String)
    /// The loopback cluster could not be set up (binding, starting the proxy).
    case setup(String)

    public var description: String {
        switch self {
        case .invalidOption(let reason): return reason
        case .setup(let reason): return "emulation set-up failed: \(reason)"
        }
    }
}
