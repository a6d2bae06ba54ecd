/// All values of one table column, as a typed array.
public enum ColumnData: Hashable, Sendable {
    /// An int64 column.
    case int64([Int64])
    /// A float64 column.
    case float64([Double])
    /// A float32 column.
    case float32([Float])
    /// A string column.
    case string([String])

    /// The number of values.
    public var count: Int {
        switch self {
        case let .int64(values): return values.count
        case let .float64(values): return values.count
        case let .float32(values): return values.count
        case let .string(values): return values.count
        }
    }

    /// The values, if this is an int64 column.
    public var int64s: [Int64]? {
        if case let .int64(values) = self { return values }
        return nil
    }

    /// The values, if this is a float64 column.
    public var float64s: [Double]? {
        if case let .float64(values) = self { return values }
        return nil
    }

    /// The values, if this is a float32 column.
    public var float32s: [Float]? {
        if case let .float32(values) = self { return values }
        return nil
    }

    /// The values, if this is a string column.
    public var strings: [String]? {
        if case let .string(values) = self { return values }
        return nil
    }
}
