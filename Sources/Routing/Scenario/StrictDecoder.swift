import Yams

/// A coding key for any string (used to list the raw keys of a mapping).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

/// The coding key of an array element.
struct IndexKey: CodingKey {
    var stringValue: String { "[\(index)]" }
    var intValue: Int? { index }
    let index: Int
    init(_ i: Int) { index = i }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
}

/// A `Decoder` wrapper that rejects unknown keys at every level.
///
/// Whenever a keyed container is requested for a key type `Key`, every key of the underlying
/// mapping must be a valid `Key` (for a `CodingKeys` enum: one of its cases); otherwise
/// ``FieldError/unknownKey(path:)`` names the offending key path. Dictionaries (`[String: T]`)
/// accept any key, so maps whose keys are data (scenario, phase or algorithm names) still work.
/// Nested values are decoded through the wrapper too, so synthesised `Decodable` conformances
/// become strict without extra code.
struct StrictDecoder: Decoder {
    let inner: Decoder
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { inner.userInfo }

    init(_ inner: Decoder, codingPath: [CodingKey]) {
        self.inner = inner
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let raw = try inner.container(keyedBy: AnyKey.self)
        for key in raw.allKeys where Key(stringValue: key.stringValue) == nil {
            throw FieldError.unknownKey(path: FieldPath.string(codingPath + [AnyKey(key.stringValue)]))
        }
        return KeyedDecodingContainer(StrictKeyedContainer<Key>(inner: try inner.container(keyedBy: Key.self), codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        StrictUnkeyedContainer(inner: try inner.unkeyedContainer(), codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        try inner.singleValueContainer()
    }

    /// Decodes `T` from a child decoder: scalars directly, anything else through the wrapper.
    static func decode<T: Decodable>(_ type: T.Type, child: () throws -> Decoder, path: [CodingKey],
                                     scalar: () throws -> T) throws -> T {
        if T.self is ScalarConstructible.Type { return try scalar() }
        return try T(from: StrictDecoder(try child(), codingPath: path))
    }
}

private struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    var inner: KeyedDecodingContainer<Key>
    let codingPath: [CodingKey]

    var allKeys: [Key] { inner.allKeys }
    func contains(_ key: Key) -> Bool { inner.contains(key) }
    func decodeNil(forKey key: Key) throws -> Bool { try inner.decodeNil(forKey: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try StrictDecoder.decode(type, child: { try inner.superDecoder(forKey: key) },
                                 path: codingPath + [key], scalar: { try inner.decode(type, forKey: key) })
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try StrictDecoder(try inner.superDecoder(forKey: key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try StrictDecoder(try inner.superDecoder(forKey: key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { StrictDecoder(try inner.superDecoder(), codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> Decoder {
        StrictDecoder(try inner.superDecoder(forKey: key), codingPath: codingPath + [key])
    }
}

private struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    var inner: UnkeyedDecodingContainer
    let codingPath: [CodingKey]
    var count: Int? { inner.count }
    var isAtEnd: Bool { inner.isAtEnd }
    var currentIndex: Int { inner.currentIndex }

    mutating func decodeNil() throws -> Bool { try inner.decodeNil() }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = codingPath + [IndexKey(inner.currentIndex)]
        if T.self is ScalarConstructible.Type { return try inner.decode(type) }
        let child = try inner.superDecoder()
        return try T(from: StrictDecoder(child, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let path = codingPath + [IndexKey(inner.currentIndex)]
        return try StrictDecoder(try inner.superDecoder(), codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let path = codingPath + [IndexKey(inner.currentIndex)]
        return try StrictDecoder(try inner.superDecoder(), codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let path = codingPath + [IndexKey(inner.currentIndex)]
        return StrictDecoder(try inner.superDecoder(), codingPath: path)
    }
}

/// Decodes `T` strictly from YAML text; errors are ``FieldError``s (or `YamlError` for text
/// that is not YAML).
enum StrictYAML {
    private struct Root<T: Decodable>: Decodable {
        let value: T
        init(from decoder: Decoder) throws { value = try T(from: StrictDecoder(decoder, codingPath: [])) }
    }

    static func decode<T: Decodable>(_ type: T.Type, from yaml: String) throws -> T {
        let parser = try Parser(yaml: yaml, resolver: Resolver.basic.appending(.merge), encoding: .default)
        return try withExtendedLifetime(parser) {
            let node = try parser.singleRoot() ?? Node("")
            do {
                return try YAMLDecoder().decode(Root<T>.self, from: node).value
            } catch let error as DecodingError {
                throw FieldError.from(error)
            }
        }
    }
}
