/// One cell of a table row.
///
/// Literals work: `3`, `0.5` and `"x"` are `.int64`, `.float64` and `.string`. A `.float64` is
/// accepted by a float32 column (rounded to the nearest float32); no other conversion is made.
public enum RowValue: Hashable, Sendable, CustomStringConvertible {
    /// A 64-bit signed integer.
    case int64(Int64)
    /// A 64-bit float.
    case float64(Double)
    /// A 32-bit float.
    case float32(Float)
    /// A UTF-8 string (text after an embedded NUL is not stored).
    case string(String)

    /// The column type this value belongs to.
    public var type: ColumnType {
        switch self {
        case .int64: return .int64
        case .float64: return .float64
        case .float32: return .float32
        case .string: return .string
        }
    }

    /// E.g. `float64 0.5` or `string "abc"`.
    public var description: String {
        switch self {
        case let .int64(value): return "int64 \(value)"
        case let .float64(value): return "float64 \(value)"
        case let .float32(value): return "float32 \(value)"
        case let .string(value): return "string \"\(value)\""
        }
    }

    /// This value as a cell of a `type` column, or nil if it does not fit.
    func converted(to type: ColumnType) -> RowValue? {
        switch (self, type) {
        case let (.float64(value), .float32): return .float32(Float(value))
        default: return self.type == type ? self : nil
        }
    }
}

extension RowValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral {
    /// `.int64(value)`.
    public init(integerLiteral value: Int64) { self = .int64(value) }
    /// `.float64(value)`.
    public init(floatLiteral value: Double) { self = .float64(value) }
    /// `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
}
