/// The state of a run, stored as the root attribute `status` of its run file.
public enum RunStatus: Hashable, Sendable, CustomStringConvertible {
    /// Still running, or killed before it could finish.
    case running
    /// Finished normally.
    case completed
    /// Finished with an error, with its reason.
    case failed(String)

    /// Parses the stored text: `running`, `completed` or `failed: <reason>`.
    public init?(_ text: String) {
        switch text {
        case "running": self = .running
        case "completed": self = .completed
        case "failed": self = .failed("")
        default:
            guard text.hasPrefix("failed: ") else { return nil }
            self = .failed(String(text.dropFirst("failed: ".count)))
        }
    }

    /// The stored text: `running`, `completed` or `failed: <reason>`.
    public var description: String {
        switch self {
        case .running: return "running"
        case .completed: return "completed"
        case let .failed(reason): return "failed: \(reason)"
        }
    }
}
