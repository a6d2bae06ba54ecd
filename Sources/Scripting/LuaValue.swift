/// A Lua value copied into Swift.
///
/// Tables are copied (``LuaTable``); functions and other reference-only values are kept alive
/// by registry references; Swift objects exposed as handles come back as ``LuaHandle``.
/// Equality follows Lua's raw equality: `.integer(1) == .number(1.0)`.
/// Not `Sendable`: references belong to one ``LuaState``.
public enum LuaValue {
    /// `nil`.
    case `nil`
    /// `true` or `false`.
    case boolean(Bool)
    /// A Lua integer.
    case integer(Int64)
    /// A Lua float.
    case number(Double)
    /// A string, decoded as UTF-8 (invalid bytes are repaired; use ``LuaArguments/bytes(at:)``
    /// for binary data).
    case string(String)
    /// A copied table.
    case table(LuaTable)
    /// A function, callable from Swift.
    case function(LuaFunctionRef)
    /// A Swift object exposed to Lua with a registered handle type.
    case userdata(LuaHandle)
    /// Any other value (coroutine, foreign userdata), kept by reference.
    case opaque(LuaReference)

    /// Lua's type name: `nil`, `boolean`, `number`, `string`, `table`, `function`, `userdata`,
    /// `thread`.
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .userdata: "userdata"
        case .opaque(let r): r.typeName
        }
    }

    /// `false` for `nil` and `false`, `true` otherwise (Lua truthiness).
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): false
        default: true
        }
    }

    /// Whether this is `nil`.
    public var isNil: Bool { if case .nil = self { true } else { false } }

    /// The number as a `Double` (integers convert), else `nil`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// The number as an `Int` when it has an exact integer representation, else `nil`.
    public var intValue: Int? {
        switch self {
        case .integer(let i): Int(exactly: i)
        case .number(let d): Int(exactly: d)
        default: nil
        }
    }

    /// The Boolean payload, else `nil`.
    public var boolValue: Bool? { if case .boolean(let b) = self { b } else { nil } }
    /// The string payload, else `nil`.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The table payload, else `nil`.
    public var tableValue: LuaTable? { if case .table(let t) = self { t } else { nil } }
    /// The function reference, else `nil`.
    public var functionValue: LuaFunctionRef? { if case .function(let f) = self { f } else { nil } }
    /// The handle payload, else `nil`.
    public var handleValue: LuaHandle? { if case .userdata(let h) = self { h } else { nil } }

    /// `table[key]` for tables, `nil` for everything else.
    public subscript(key: LuaValue) -> LuaValue {
        if case .table(let t) = self { t[key] } else { .nil }
    }

    /// Creates a number value from an `Int`.
    public init(_ value: Int) { self = .integer(Int64(value)) }
    /// Creates a number value from a `Double`.
    public init(_ value: Double) { self = .number(value) }
    /// Creates a string value.
    public init(_ value: String) { self = .string(value) }
    /// Creates a Boolean value.
    public init(_ value: Bool) { self = .boolean(value) }
    /// Creates a sequence `{v1, v2, …}` of numbers.
    public init(_ values: [Double]) { self = .table(LuaTable(array: values.map { .number($0) })) }
    /// Creates a sequence `{v1, v2, …}`.
    public init(_ values: [LuaValue]) { self = .table(LuaTable(array: values)) }
    /// Creates a record `{k = v, …}`.
    public init(_ fields: [String: LuaValue]) {
        self = .table(LuaTable(hash: Dictionary(uniqueKeysWithValues: fields.map { (.string($0.key), $0.value) })))
    }
}

extension LuaValue: Hashable {
    /// Lua raw equality; integral floats equal the same integer; references compare by identity.
    public static func == (a: LuaValue, b: LuaValue) -> Bool {
        switch (a, b) {
        case (.nil, .nil): true
        case (.boolean(let x), .boolean(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.integer(let i), .number(let d)), (.number(let d), .integer(let i)): Int64(exactly: d) == i
        case (.string(let x), .string(let y)): x == y
        case (.table(let x), .table(let y)): x == y
        case (.function(let x), .function(let y)): x === y || x.isSameValue(as: y)
        case (.userdata(let x), .userdata(let y)): x == y
        case (.opaque(let x), .opaque(let y)): x === y || x.isSameValue(as: y)
        default: false
        }
    }

    /// Hashes consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .nil: hasher.combine(0)
        case .boolean(let b): hasher.combine(1); hasher.combine(b)
        case .integer(let i): hasher.combine(2); hasher.combine(i)
        case .number(let d):
            if let i = Int64(exactly: d) { hasher.combine(2); hasher.combine(i) } else { hasher.combine(3); hasher.combine(d) }
        case .string(let s): hasher.combine(4); hasher.combine(s)
        case .table(let t): hasher.combine(5); hasher.combine(t)
        case .function: hasher.combine(6)
        case .userdata(let h): hasher.combine(7); hasher.combine(h)
        case .opaque: hasher.combine(8)
        }
    }
}

extension LuaValue: CustomStringConvertible {
    /// A Lua-like rendering, e.g. `{1, 2, x = "a"}`.
    public var description: String {
        switch self {
        case .nil: "nil"
        case .boolean(let b): String(b)
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .string(let s): "\"\(s)\""
        case .table(let t): t.description
        case .function: "function"
        case .userdata(let h): h.type.name
        case .opaque(let r): r.typeName
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// `nil`.
    public init(nilLiteral: ()) { self = .nil }
    /// A Boolean.
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    /// An integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A float.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A sequence.
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    /// A table; positive integer keys 1…n go to the array part.
    public init(dictionaryLiteral elements: (LuaValue, LuaValue)...) {
        var t = LuaTable()
        for (k, v) in elements { t[k] = v }
        self = .table(t)
    }
}
