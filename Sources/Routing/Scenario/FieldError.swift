/// A problem with one field of a decoded document, named by its key path
/// (`latency_model.jitter.sigma_ms`, `instances[2].node`).
public enum FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A key that the schema does not define.
    case unknownKey(path: String)
    /// A required key that is absent.
    case missingKey(path: String)
    /// A value of the wrong type or out of range.
    case invalid(path: String, reason: String)

    /// The key path of the field.
    public var path: String {
        switch self {
        case .unknownKey(let p), .missingKey(let p), .invalid(let p, _): return p
        }
    }

    public var description: String {
        switch self {
        case .unknownKey(let p): return "unknown key '\(p)'"
        case .missingKey(let p): return "missing key '\(p)'"
        case .invalid(let p, let r): return p.isEmpty ? "invalid document: \(r)" : "invalid value for '\(p)': \(r)"
        }
    }

    /// The same problem for a `DecodingError` (type mismatch, missing key, corrupted value).
    static func from(_ error: DecodingError) -> FieldError {
        switch error {
        case .keyNotFound(let key, let ctx):
            return .missingKey(path: FieldPath.string(ctx.codingPath + [key]))
        case .typeMismatch(let type, let ctx):
            let expected = "\(type)" == "Scalar" ? "a single value" : "a value of type \(type)"
            return .invalid(path: FieldPath.string(ctx.codingPath), reason: "expected \(expected)")
        case .valueNotFound(let type, let ctx):
            return .invalid(path: FieldPath.string(ctx.codingPath), reason: "expected a value of type \(type), found none")
        case .dataCorrupted(let ctx):
            if let inner = ctx.underlyingError as? FieldError { return inner }
            return .invalid(path: FieldPath.string(ctx.codingPath), reason: ctx.debugDescription)
        @unknown default:
            return .invalid(path: "", reason: "\(error)")
        }
    }
}
