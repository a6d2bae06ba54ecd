import CLua
import CLuaSupport

/// The arguments of a host-function call, read in place from the Lua stack (1-based, as in Lua).
///
/// Valid only during the call. Typed getters throw argument errors that name the function and
/// argument, e.g. `bad argument #2 to 'aiotwin.train' (number expected, got string)`. Getters are
/// strict: numbers are not converted to strings or back.
public struct LuaArguments {
    let L: OpaquePointer
    unowned(unsafe) let state: LuaState
    unowned(unsafe) let function: LuaHostFunctionBox
    /// Number of arguments passed (including `self` for methods).
    public let count: Int

    init(L: OpaquePointer, state: LuaState, function: LuaHostFunctionBox, count: Int) {
        self.L = L
        self.state = state
        self.function = function
        self.count = count
    }

    /// The qualified name of the function being called, e.g. `aiotwin.train`.
    public var functionName: String { function.name }

    /// Lua's type name of argument `index` (`"no value"` past the end; handle type names for handles).
    public func typeName(at index: Int) -> String {
        index >= 1 && index <= count ? String(cString: clua_typename_at(L, Int32(index))) : "no value"
    }

    /// Whether argument `index` is absent or `nil`.
    public func isNil(at index: Int) -> Bool { index > count || lua_type(L, Int32(index)) == LUA_TNIL }

    /// A number (integer or float).
    public func number(at index: Int) throws -> Double {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TNUMBER else { throw typeError(index, "number") }
        return lua_tonumberx(L, Int32(index), nil)
    }

    /// A number, or `default` when the argument is absent or `nil`.
    public func number(at index: Int, default value: Double) throws -> Double {
        isNil(at: index) ? value : try number(at: index)
    }

    /// An integer (a float must have an exact integer value).
    public func integer(at index: Int) throws -> Int {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TNUMBER else { throw typeError(index, "number") }
        var isInteger: Int32 = 0
        let i = lua_tointegerx(L, Int32(index), &isInteger)
        guard isInteger != 0, let value = Int(exactly: i) else { throw argumentError(index, "number has no integer representation") }
        return value
    }

    /// An integer, or `default` when the argument is absent or `nil`.
    public func integer(at index: Int, default value: Int) throws -> Int {
        isNil(at: index) ? value : try integer(at: index)
    }

    /// A string (UTF-8 decoded).
    public func string(at index: Int) throws -> String {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TSTRING else { throw typeError(index, "string") }
        return state.string(at: Int32(index), on: L)
    }

    /// A string, or `default` when the argument is absent or `nil`.
    public func string(at index: Int, default value: String) throws -> String {
        isNil(at: index) ? value : try string(at: index)
    }

    /// The raw bytes of a string.
    public func bytes(at index: Int) throws -> [UInt8] {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TSTRING else { throw typeError(index, "string") }
        var length = 0
        guard let p = lua_tolstring(L, Int32(index), &length) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: length))
    }

    /// A Boolean (strict: only `true`/`false`).
    public func boolean(at index: Int) throws -> Bool {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TBOOLEAN else { throw typeError(index, "boolean") }
        return lua_toboolean(L, Int32(index)) != 0
    }

    /// A Boolean, or `default` when the argument is absent or `nil`.
    public func boolean(at index: Int, default value: Bool) throws -> Bool {
        isNil(at: index) ? value : try boolean(at: index)
    }

    /// A table, copied.
    public func table(at index: Int) throws -> LuaTable {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TTABLE else { throw typeError(index, "table") }
        return try value(at: index).tableValue ?? LuaTable()
    }

    /// A sequence of numbers `{x1, …, xn}` (a small table; use ``LuaNumberArray`` for big ones).
    public func numbers(at index: Int) throws -> [Double] {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TTABLE else { throw typeError(index, "table") }
        let n = Int(lua_rawlen(L, Int32(index)))
        guard lua_checkstack(L, 2) != 0 else { throw argumentError(index, "table too large") }
        var result = [Double](repeating: 0, count: n)
        for i in 0..<n {
            defer { lua_settop(L, -2) }
            guard lua_rawgeti(L, Int32(index), lua_Integer(i + 1)) == LUA_TNUMBER else {
                throw argumentError(index, "number expected at index \(i + 1), got \(String(cString: clua_typename_at(L, -1)))")
            }
            result[i] = lua_tonumberx(L, -1, nil)
        }
        return result
    }

    /// A function, kept by reference (callable after the call returns).
    public func function(at index: Int) throws -> LuaFunctionRef {
        guard index >= 1, index <= count, lua_type(L, Int32(index)) == LUA_TFUNCTION else { throw typeError(index, "function") }
        return LuaFunctionRef(state: state, ref: state.reference(at: Int32(index), on: L), typeName: "function")
    }

    /// Any value, copied (`nil` past the end).
    public func value(at index: Int) throws -> LuaValue {
        guard index >= 1, index <= count else { return .nil }
        do {
            return try state.value(at: Int32(index), on: L)
        } catch let error as LuaError {
            throw argumentError(index, error.message)
        }
    }

    /// All arguments, copied.
    public func values() throws -> [LuaValue] { try (0..<count).map { try value(at: $0 + 1) } }

    /// The Swift object of a handle argument, type-checked.
    public func handle<T: AnyObject>(at index: Int, as _: T.Type) throws -> T {
        guard index >= 1, index <= count, let h = clua_tohandle(L, Int32(index)), let object = h.pointee.object,
              let typed = Unmanaged<AnyObject>.fromOpaque(object).takeUnretainedValue() as? T else {
            throw typeError(index, state.typeNamesByClass[ObjectIdentifier(T.self)] ?? String(describing: T.self))
        }
        return typed
    }

    /// A ``LuaNumberArray`` argument (shared memory; writes are visible to Lua).
    public func numberArray(at index: Int) throws -> LuaNumberArray {
        guard index >= 1, index <= count, let h = clua_tohandle(L, Int32(index)), let object = h.pointee.object,
              h.pointee.type_id == LuaHandleType.numberArray.id,
              let array = Unmanaged<AnyObject>.fromOpaque(object).takeUnretainedValue() as? LuaNumberArray else {
            throw typeError(index, LuaHandleType.numberArray.name)
        }
        return array
    }

    /// An error for argument `index`, reported as `bad argument #i to 'name' (message)`.
    /// Throw it from a host function to reject a value the getters accepted.
    public func argumentError(_ index: Int, _ message: String) -> any Error {
        let position = index - function.selfOffset
        if position == 0 {
            return LuaArgumentError(message: "calling '\(function.name)' on bad self (\(message))")
        }
        return LuaArgumentError(message: "bad argument #\(position) to '\(function.name)' (\(message))")
    }

    private func typeError(_ index: Int, _ expected: String) -> any Error {
        argumentError(index, "\(expected) expected, got \(typeName(at: index))")
    }
}

/// An argument error; raised in Lua without the `host error:` prefix.
struct LuaArgumentError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
