/// The type of a table column.
public enum ColumnType: String, Hashable, Sendable, CustomStringConvertible {
    /// 64-bit signed integers.
    case int64
    /// 64-bit floats.
    case float64
    /// 32-bit floats.
    case float32
    /// Variable-length UTF-8 strings.
    case string

    /// The raw value, e.g. `float64`.
    public var description: String { rawValue }
}

/// One column of an extendible table: a name and a type.
public struct ColumnSpec: Hashable, Sendable {
    /// The column (compound member) name.
    public let name: String
    /// Its type.
    public let type: ColumnType

    /// A column called `name` of `type`.
    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }
}
