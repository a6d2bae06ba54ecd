/// A Lua table copied into Swift: the sequence `t[1], …, t[n]` in ``array`` and every other
/// key in ``hash``.
///
/// Reading from Lua fills ``array`` with the longest prefix `1…n` without holes. Keys are
/// normalised like Lua's (`2.0` becomes `2`). Metatables are not copied.
public struct LuaTable: Hashable {
    /// Values of keys `1…array.count`.
    public var array: [LuaValue]
    /// All other keys. A `nil` or NaN key makes the table impossible to push to Lua.
    public var hash: [LuaValue: LuaValue]

    /// Creates a table.
    public init(array: [LuaValue] = [], hash: [LuaValue: LuaValue] = [:]) {
        self.array = array
        self.hash = hash
    }

    /// Number of non-`nil` entries.
    public var count: Int { array.reduce(0) { $0 + ($1.isNil ? 0 : 1) } + hash.count }

    /// `t[key]`; assigning `nil` removes the key.
    public subscript(key: LuaValue) -> LuaValue {
        get {
            if let i = Self.arrayIndex(key), i <= array.count { return array[i - 1] }
            return hash[Self.normalized(key)] ?? .nil
        }
        set {
            let key = Self.normalized(key)
            if let i = Self.arrayIndex(key), i <= array.count + 1 {
                if i == array.count + 1 {
                    guard !newValue.isNil else { hash[key] = nil; return }
                    array.append(newValue)
                    hash[key] = nil
                    // Move the keys that now continue the sequence out of the hash part.
                    while let next = hash.removeValue(forKey: .integer(Int64(array.count + 1))) { array.append(next) }
                } else if i == array.count && newValue.isNil {
                    array.removeLast()
                    while let last = array.last, last.isNil { array.removeLast() }
                } else {
                    array[i - 1] = newValue
                }
            } else {
                hash[key] = newValue.isNil ? nil : newValue
            }
        }
    }

    /// `t[index]` (1-based, as in Lua).
    public subscript(index: Int) -> LuaValue {
        get { self[.integer(Int64(index))] }
        set { self[.integer(Int64(index))] = newValue }
    }

    /// `t.field`.
    public subscript(field: String) -> LuaValue {
        get { self[.string(field)] }
        set { self[.string(field)] = newValue }
    }

    private static func normalized(_ key: LuaValue) -> LuaValue {
        if case .number(let d) = key, let i = Int64(exactly: d) { return .integer(i) }
        return key
    }

    private static func arrayIndex(_ key: LuaValue) -> Int? {
        switch key {
        case .integer(let i) where i >= 1 && i <= Int64(Int.max): Int(i)
        case .number(let d): Int(exactly: d).flatMap { $0 >= 1 ? $0 : nil }
        default: nil
        }
    }
}

extension LuaTable: CustomStringConvertible {
    /// A Lua-like rendering with hash keys sorted by their rendering (deterministic).
    public var description: String {
        let items = array.map(\.description) + hash.map { k, v in
            if case .string(let s) = k { "\(s) = \(v)" } else { "[\(k)] = \(v)" }
        }.sorted()
        return "{" + items.joined(separator: ", ") + "}"
    }
}
