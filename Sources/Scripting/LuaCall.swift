import CLua
import CLuaSupport

/// Arguments of a typed call, pushed straight onto the Lua stack (no ``LuaValue`` marshalling).
///
/// Only available inside the closure passed to a typed call such as
/// ``LuaFunctionRef/callNumber(_:)``; it cannot be copied out of it.
public struct LuaCallArguments: ~Copyable {
    let L: OpaquePointer
    unowned(unsafe) let state: LuaState
    /// `state`'s identity, to check references without retaining `state`.
    let stateID: ObjectIdentifier
    var count: Int32 = 0
    var overflow = false

    init(L: OpaquePointer, state: LuaState) {
        self.L = L
        self.state = state
        self.stateID = ObjectIdentifier(state)
    }

    @inline(__always)
    private mutating func reserve() -> Bool {
        guard lua_checkstack(L, 1) != 0 else {
            overflow = true
            return false
        }
        count += 1
        return true
    }

    /// Pushes a float.
    public mutating func push(_ value: Double) { if reserve() { lua_pushnumber(L, value) } }
    /// Pushes a float.
    public mutating func push(_ value: Float) { if reserve() { lua_pushnumber(L, Double(value)) } }
    /// Pushes an integer.
    public mutating func push(_ value: Int) { if reserve() { lua_pushinteger(L, lua_Integer(value)) } }
    /// Pushes a Boolean.
    public mutating func push(_ value: Bool) { if reserve() { lua_pushboolean(L, value ? 1 : 0) } }
    /// Pushes a string.
    public mutating func push(_ value: String) { if reserve() { LuaState.pushString(value, on: L) } }
    /// Pushes `nil`.
    public mutating func pushNil() { if reserve() { lua_pushnil(L) } }

    /// Pushes the numbers as a new sequence table `{x1, …, xn}` (fine for a handful of values;
    /// share big vectors with ``LuaNumberArray`` instead).
    public mutating func push(numbers: UnsafeBufferPointer<Double>) {
        guard reserve() else { return }
        lua_createtable(L, Int32(clamping: numbers.count), 0)
        for (i, x) in numbers.enumerated() {
            lua_pushnumber(L, x)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }

    /// Pushes a number array as its `NumberArray` userdata (no copy).
    public mutating func push(_ array: LuaNumberArray) {
        guard reserve() else { return }
        let id = LuaHandleType.numberArray.id
        let unretained = Unmanaged.passUnretained(array).toOpaque()
        if clua_push_cached_handle(L, unretained, id) == 0 {
            clua_push_new_handle(L, Unmanaged.passRetained(array).toOpaque(), id, array.buffer.baseAddress, array.count, nil)
        }
    }

    /// Pushes a Swift object as a handle of a registered type (the same userdata while Lua holds it).
    public mutating func push(handle object: AnyObject, type: LuaHandleType) throws {
        guard reserve() else { return }
        do {
            try state.pushHandle(object, type: type, on: L)
        } catch {
            count -= 1
            throw error
        }
    }

    /// Pushes a handle.
    public mutating func push(_ handle: LuaHandle) throws { try push(handle: handle.object, type: handle.type) }

    /// Pushes a referenced Lua value (function, coroutine, …).
    public mutating func push(_ reference: LuaReference) throws {
        // Checked by identity (no call through `state`): hot paths pass parameters by reference.
        let slot = try reference.slot(in: stateID)
        guard reserve() else { return }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(slot))
    }

    /// Pushes any value (tables are built on each call).
    public mutating func push(_ value: LuaValue) throws {
        guard reserve() else { return }
        let top = lua_gettop(L)
        do {
            try state.push(value, on: L)
        } catch {
            lua_settop(L, top)
            count -= 1
            throw error
        }
    }
}

/// Typed calls: push Swift values directly and read one result without ``LuaValue``
/// marshalling. They cost about as much as a plain guarded `lua_pcall` (~0.1 µs).
extension LuaFunctionRef {
    /// Calls `f(x1, …, xn)` with the numbers and returns its numeric result.
    public func callNumbers(_ arguments: UnsafeBufferPointer<Double>) throws -> Double {
        try typedCall(nresults: 1, { args in for x in arguments { args.push(x) } }, read: readNumber)
    }

    /// Calls `f(x1, …, xn)` with the numbers and returns its numeric result.
    public func callNumbers(_ arguments: [Double]) throws -> Double {
        try arguments.withUnsafeBufferPointer { try callNumbers($0) }
    }

    /// Calls the function with the arguments pushed by `arguments`; returns a number result.
    public func callNumber(_ arguments: (inout LuaCallArguments) throws -> Void) throws -> Double {
        try typedCall(nresults: 1, arguments, read: readNumber)
    }

    /// Calls the function; returns an integer result (floats must be integral).
    public func callInteger(_ arguments: (inout LuaCallArguments) throws -> Void) throws -> Int {
        try typedCall(nresults: 1, arguments) { L in
            var isInteger: Int32 = 0
            let i = lua_tointegerx(L, -1, &isInteger)
            guard lua_type(L, -1) == LUA_TNUMBER, isInteger != 0, let value = Int(exactly: i) else {
                throw resultError(L, expected: "integer")
            }
            return value
        }
    }

    /// Calls the function; returns a Boolean result (Lua truthiness: only `nil`/`false` are false).
    public func callBoolean(_ arguments: (inout LuaCallArguments) throws -> Void) throws -> Bool {
        try typedCall(nresults: 1, arguments) { L in lua_toboolean(L, -1) != 0 }
    }

    /// Calls the function; returns a string result.
    public func callString(_ arguments: (inout LuaCallArguments) throws -> Void) throws -> String {
        try typedCall(nresults: 1, arguments) { L in
            guard lua_type(L, -1) == LUA_TSTRING else { throw resultError(L, expected: "string") }
            return state.string(at: -1, on: L)
        }
    }

    /// Calls the function; returns its first result as a ``LuaValue``.
    public func callValue(_ arguments: (inout LuaCallArguments) throws -> Void) throws -> LuaValue {
        try typedCall(nresults: 1, arguments) { L in try state.value(at: -1, on: L) }
    }

    /// Calls the function; reads its first result as a ``LuaChoice`` without marshalling a
    /// returned table (only its `name` field is read). With `records`, a returned record of the
    /// list just passed from that cache is its position (`.index`), found by address.
    public func callChoice(records: LuaRecordCache? = nil,
                           _ arguments: (inout LuaCallArguments) throws -> Void) throws -> LuaChoice {
        try typedCall(nresults: 1, arguments) { L in readChoice(L, records: records) }
    }

    /// The choice on top of the stack of `L` (see ``callChoice(records:_:)``).
    func readChoice(_ L: OpaquePointer, records: LuaRecordCache?) -> LuaChoice {
        switch lua_type(L, -1) {
        case LUA_TNUMBER:
            var isInteger: Int32 = 0
            let i = lua_tointegerx(L, -1, &isInteger)
            return isInteger != 0 ? .index(Int(i)) : .other("number")
        case LUA_TSTRING:
            return .name(state.string(at: -1, on: L))
        case LUA_TTABLE:
            if let records, let address = lua_topointer(L, -1), let i = records.position(ofTableAt: address) {
                return .index(i + 1)
            }
            // Raw access: no metamethod runs while Swift is on the stack.
            lua_pushstring(L, "name")
            guard lua_rawget(L, -2) == LUA_TSTRING else { return .other("table without a name") }
            return .name(state.string(at: -1, on: L))
        default:
            return .other(String(cString: clua_typename_at(L, -1)))
        }
    }

    /// Calls the function and discards its results.
    public func invoke(_ arguments: (inout LuaCallArguments) throws -> Void) throws {
        try typedCall(nresults: 0, arguments) { _ in () }
    }

    @inline(__always)
    private func typedCall<R>(nresults: Int32, _ arguments: (inout LuaCallArguments) throws -> Void,
                              read: (OpaquePointer) throws -> R) throws -> R {
        let state = self.state
        let L = state.active
        let base = lua_gettop(L)
        guard lua_checkstack(L, 4) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(ref))
        var args = LuaCallArguments(L: L, state: state)
        do {
            try arguments(&args)
        } catch {
            lua_settop(L, base)
            throw error
        }
        guard !args.overflow else {
            lua_settop(L, base)
            throw LuaError(kind: .runtime, message: "too many arguments")
        }
        let status = clua_pcall_guarded(L, args.count, nresults)
        guard status == LUA_OK else { throw state.callError(status, on: L, base: base) }
        defer { lua_settop(L, base) }
        return try read(L)
    }

    private func readNumber(_ L: OpaquePointer) throws -> Double {
        var isNumber: Int32 = 0
        let x = lua_tonumberx(L, -1, &isNumber)
        guard isNumber != 0, lua_type(L, -1) == LUA_TNUMBER else { throw resultError(L, expected: "number") }
        return x
    }

    /// `bad result from function defined at file:line (number expected, got nil)`.
    private func resultError(_ L: OpaquePointer, expected: String) -> LuaError {
        let got = String(cString: clua_typename_at(L, -1))
        var where_ = "?"
        if lua_checkstack(L, 2) != 0 {
            lua_rawgeti(L, clua_registryindex(), lua_Integer(ref))
            var ar = lua_Debug()
            if lua_getinfo(L, ">S", &ar) != 0 {
                let source = withUnsafeBytes(of: &ar.short_src) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                where_ = "\(source):\(ar.linedefined)"
            }
        }
        return LuaError(kind: .runtime, message: "bad result from function defined at \(where_) (\(expected) expected, got \(got))")
    }
}
