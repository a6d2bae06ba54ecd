/// A string-keyed map that keeps the keys in document order (YAML mappings whose keys are data,
/// such as scenario, variant or algorithm names).
public struct OrderedMap<Value> {
    /// Keys in document order.
    public private(set) var keys: [String] = []
    /// Values by key.
    public private(set) var values: [String: Value] = [:]

    /// An empty map.
    public init() {}

    /// A map with the given entries in order (later duplicates replace earlier values).
    public init(_ entries: [(String, Value)]) {
        for (k, v) in entries { self[k] = v }
    }

    /// The value for `key`; assigning appends new keys at the end.
    public subscript(key: String) -> Value? {
        get { values[key] }
        set {
            if newValue != nil, values[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    /// Entries in document order.
    public var entries: [(key: String, value: Value)] { keys.map { ($0, values[$0]!) } }

    /// Number of entries.
    public var count: Int { keys.count }
    /// Whether the map is empty.
    public var isEmpty: Bool { keys.isEmpty }
}

extension OrderedMap: Sendable where Value: Sendable {}
extension OrderedMap: Equatable where Value: Equatable {}
extension OrderedMap: Hashable where Value: Hashable {}

extension OrderedMap: Decodable where Value: Decodable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        for key in c.allKeys {
            self[key.stringValue] = try c.decode(Value.self, forKey: key)
        }
    }
}

extension OrderedMap: Encodable where Value: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for key in keys { try c.encode(values[key]!, forKey: AnyKey(key)) }
    }
}
