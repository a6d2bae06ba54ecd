import Scripting

/// An options table passed from Lua (`aiotwin.train(m, d, { epochs = 2 })`), with typed getters
/// whose errors name the function and the field, and a check that catches misspelt keys.
struct LuaOptions {
    let table: LuaTable
    /// The function the options belong to, for messages (`aiotwin.train`).
    let context: String

    /// The table at argument `index`, or an empty one when it is absent or `nil`.
    init(_ args: LuaArguments, at index: Int) throws {
        table = args.isNil(at: index) ? LuaTable() : try args.table(at: index)
        context = args.functionName
    }

    init(_ table: LuaTable, context: String) {
        self.table = table
        self.context = context
    }

    func fail(_ key: String, _ expected: String, _ value: LuaValue) -> WorkbenchError {
        .invalidInput("\(context): option '\(key)' must be \(expected), got \(value.typeName == "number" ? "\(value)" : value.typeName)")
    }

    /// Rejects keys outside `known`, naming the accepted ones (catches typos such as `epoch`).
    func allowOnly(_ known: Set<String>) throws {
        for key in table.hash.keys {
            guard let name = key.stringValue else {
                throw WorkbenchError.invalidInput("\(context): option keys must be names, found \(key)")
            }
            if !known.contains(name) {
                throw WorkbenchError.invalidInput("\(context): unknown option '\(name)' (accepted: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    func has(_ key: String) -> Bool { !table[key].isNil }

    func int(_ key: String) throws -> Int? {
        let v = table[key]
        if v.isNil { return nil }
        guard let i = v.intValue else { throw fail(key, "an integer", v) }
        return i
    }

    func int(_ key: String, default value: Int, range: ClosedRange<Int>? = nil) throws -> Int {
        let i = try int(key) ?? value
        if let range, !range.contains(i) {
            throw WorkbenchError.invalidInput("\(context): option '\(key)' must be in \(range.lowerBound)...\(range.upperBound), got \(i)")
        }
        return i
    }

    func double(_ key: String) throws -> Double? {
        let v = table[key]
        if v.isNil { return nil }
        guard let d = v.doubleValue, d.isFinite else { throw fail(key, "a finite number", v) }
        return d
    }

    func double(_ key: String, default value: Double) throws -> Double { try double(key) ?? value }

    func string(_ key: String) throws -> String? {
        let v = table[key]
        if v.isNil { return nil }
        guard let s = v.stringValue else { throw fail(key, "a string", v) }
        return s
    }

    func string(_ key: String, default value: String) throws -> String { try string(key) ?? value }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        let v = table[key]
        if v.isNil { return value }
        guard let b = v.boolValue else { throw fail(key, "a boolean", v) }
        return b
    }

    func ints(_ key: String) throws -> [Int]? { try list(key, "a list of integers", \.intValue) }

    func doubles(_ key: String) throws -> [Double]? { try list(key, "a list of numbers", \.doubleValue) }

    /// A Lua sequence whose every element converts with `element`.
    private func list<T>(_ key: String, _ expected: String, _ element: (LuaValue) -> T?) throws -> [T]? {
        let v = table[key]
        if v.isNil { return nil }
        guard let t = v.tableValue, t.hash.isEmpty else { throw fail(key, expected, v) }
        let items = t.array.compactMap(element)
        guard items.count == t.array.count else { throw fail(key, expected, v) }
        return items
    }

    func seed(_ key: String = "seed", default value: UInt64) throws -> UInt64 {
        guard let i = try int(key) else { return value }
        guard i >= 0 else { throw WorkbenchError.invalidInput("\(context): option '\(key)' must be non-negative, got \(i)") }
        return UInt64(i)
    }
}

extension WorkbenchError: LuaRaisableError {
    public var luaMessage: String { description }
}
