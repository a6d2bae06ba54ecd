/// The value of an HDF5 attribute: a scalar or a 1-d array of strings (variable-length UTF-8),
/// float64 or int64.
///
/// Literals work: `"text"`, `0.5` and `3` are `.string`, `.double` and `.int64`.
public enum AttributeValue: Hashable, Sendable {
    /// A scalar variable-length UTF-8 string (h5py: `str`).
    case string(String)
    /// A 1-d array of variable-length UTF-8 strings.
    case strings([String])
    /// A scalar float64.
    case double(Double)
    /// A 1-d float64 array.
    case doubles([Double])
    /// A scalar int64.
    case int64(Int64)
    /// A 1-d int64 array.
    case int64s([Int64])

    /// The string, if this is `.string`.
    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// The number, if this is `.double`.
    public var doubleValue: Double? {
        if case let .double(value) = self { return value }
        return nil
    }

    /// The integer, if this is `.int64`.
    public var int64Value: Int64? {
        if case let .int64(value) = self { return value }
        return nil
    }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    /// `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `.double(value)`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `.int64(value)`.
    public init(integerLiteral value: Int64) { self = .int64(value) }
}
