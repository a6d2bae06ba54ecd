/// Formatting of coding paths as `a.b[2].c`.
enum FieldPath {
    /// `codingPath` (plus an optional last key) as a dotted path with `[i]` for indices.
    static func string(_ codingPath: [CodingKey], _ last: String? = nil) -> String {
        var out = ""
        for key in codingPath {
            if let i = key.intValue, key is IndexKey || key.stringValue.hasPrefix("Index ") {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        if let last { out += out.isEmpty ? last : "." + last }
        return out
    }
}

/// Range checks that throw ``FieldError/invalid(path:reason:)``.
enum FieldCheck {
    static func positive(_ v: Double, _ key: String, _ path: [CodingKey]) throws {
        guard v.isFinite, v > 0 else { throw FieldError.invalid(path: FieldPath.string(path, key), reason: "must be > 0 (got \(v))") }
    }
    static func nonNegative(_ v: Double, _ key: String, _ path: [CodingKey]) throws {
        guard v.isFinite, v >= 0 else { throw FieldError.invalid(path: FieldPath.string(path, key), reason: "must be ≥ 0 (got \(v))") }
    }
    static func unit(_ v: Double, _ key: String, _ path: [CodingKey]) throws {
        guard v.isFinite, v >= 0, v <= 1 else { throw FieldError.invalid(path: FieldPath.string(path, key), reason: "must be in [0, 1] (got \(v))") }
    }
    static func finite(_ v: Double, _ key: String, _ path: [CodingKey]) throws {
        guard v.isFinite else { throw FieldError.invalid(path: FieldPath.string(path, key), reason: "must be a finite number") }
    }
}
