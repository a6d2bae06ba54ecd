/// An error loading or using a scenario file. The description starts with the file name and
/// names the offending key path, e.g. `scenario.yaml: unknown key 'latency_model.foo'`.
public enum ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A field problem (unknown key, missing key, invalid value) in `file`.
    case field(file: String, FieldError)
    /// The text is not YAML, or the file cannot be read.
    case unreadable(file: String, reason: String)
    /// A scenario name that the file does not define.
    case unknownScenario(String)
    /// A variant name that the file does not define.
    case unknownVariant(String)
    /// An algorithm name that is neither in the file nor built in.
    case unknownAlgorithm(String)

    public var description: String {
        switch self {
        case .field(let file, let e): return "\(file): \(e)"
        case .unreadable(let file, let reason): return "\(file): \(reason)"
        case .unknownScenario(let s): return "unknown scenario '\(s)'"
        case .unknownVariant(let v): return "unknown variant '\(v)'"
        case .unknownAlgorithm(let a): return "unknown algorithm '\(a)'"
        }
    }

    /// The field error, when this is one.
    public var fieldError: FieldError? {
        if case .field(_, let e) = self { return e }
        return nil
    }
}
