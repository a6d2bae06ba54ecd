import CLua
import CLuaSupport

/// Marshalling between ``LuaValue`` and the Lua stack. Raw accessors only: no metamethod can run
/// (or raise) while Swift is on the stack. Callers reserve stack space for top-level pushes.
extension LuaState {
    static let maxDepth = 200

    /// Pushes `s` as a Lua string (static: pushing needs no state, and hot paths must not
    /// retain one to call it).
    static func pushString(_ s: String, on L: OpaquePointer) {
        var s = s
        s.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    func string(at index: Int32, on L: OpaquePointer) -> String {
        var length = 0
        guard let p = lua_tolstring(L, index, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self)
    }

    func push(_ value: LuaValue, on L: OpaquePointer, depth: Int = 0) throws {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, i)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s): Self.pushString(s, on: L)
        case .table(let t): try push(t, on: L, depth: depth + 1)
        case .function(let r): try push(r, on: L)
        case .opaque(let r): try push(r, on: L)
        case .userdata(let h): try pushHandle(h.object, type: h.type, on: L)
        }
    }

    func push(_ table: LuaTable, on L: OpaquePointer, depth: Int) throws {
        guard depth <= Self.maxDepth, lua_checkstack(L, 4) != 0 else {
            throw LuaError(kind: .runtime, message: "table nested too deeply to push")
        }
        lua_createtable(L, Int32(clamping: table.array.count), Int32(clamping: table.hash.count))
        for (i, v) in table.array.enumerated() {
            try push(v, on: L, depth: depth)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        for (k, v) in table.hash {
            switch k {
            case .nil: throw LuaError(kind: .runtime, message: "table key is nil")
            case .number(let d) where d.isNaN: throw LuaError(kind: .runtime, message: "table key is NaN")
            default: break
            }
            try push(k, on: L, depth: depth)
            try push(v, on: L, depth: depth)
            lua_rawset(L, -3)
        }
    }

    func push(_ reference: LuaReference, on L: OpaquePointer) throws {
        lua_rawgeti(L, clua_registryindex(), lua_Integer(try reference.slot(in: ObjectIdentifier(self))))
    }

    /// Pushes the userdata of `object`: the cached one while Lua holds it, else a new one.
    func pushHandle(_ object: AnyObject, type: LuaHandleType, on L: OpaquePointer) throws {
        let unretained = Unmanaged.passUnretained(object).toOpaque()
        if clua_push_cached_handle(L, unretained, type.id) != 0 { return }
        guard type.id >= 0, Int(type.id) < handleTypes.count, handleTypes[Int(type.id)] == type.name else {
            throw LuaError(kind: .runtime, message: "handle type '\(type.name)' is not registered in this state")
        }
        var data: UnsafeMutablePointer<Double>?
        var count = 0
        if type.id == LuaHandleType.numberArray.id {
            guard let array = object as? LuaNumberArray else {
                throw LuaError(kind: .runtime, message: "a NumberArray handle must wrap a LuaNumberArray")
            }
            data = array.buffer.baseAddress
            count = array.count
        }
        typeNamesByClass[ObjectIdentifier(Swift.type(of: object))] = type.name
        let native = (object as? LuaNativeState)?.nativeState
        clua_push_new_handle(L, Unmanaged.passRetained(object).toOpaque(), type.id, data, count, native)
    }

    func handleType(id: Int32) -> LuaHandleType {
        LuaHandleType(name: id >= 0 && Int(id) < handleTypes.count ? handleTypes[Int(id)] : "?", id: id)
    }

    /// Copies the value at `index`; tables are copied recursively (cycles are an error).
    func value(at index: Int32, on L: OpaquePointer) throws -> LuaValue {
        var path: [UnsafeRawPointer] = []
        return try value(at: lua_absindex(L, index), on: L, path: &path)
    }

    private func value(at idx: Int32, on L: OpaquePointer, path: inout [UnsafeRawPointer]) throws -> LuaValue {
        switch lua_type(L, idx) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, idx) != 0)
        case LUA_TNUMBER:
            return lua_isinteger(L, idx) != 0 ? .integer(lua_tointegerx(L, idx, nil)) : .number(lua_tonumberx(L, idx, nil))
        case LUA_TSTRING: return .string(string(at: idx, on: L))
        case LUA_TTABLE: return .table(try table(at: idx, on: L, path: &path))
        case LUA_TFUNCTION: return .function(LuaFunctionRef(state: self, ref: reference(at: idx, on: L), typeName: "function"))
        case LUA_TUSERDATA:
            if let h = clua_tohandle(L, idx), let object = h.pointee.object {
                return .userdata(LuaHandle(Unmanaged<AnyObject>.fromOpaque(object).takeUnretainedValue(),
                                           type: handleType(id: h.pointee.type_id)))
            }
            fallthrough
        default:
            let name = String(cString: clua_typename_at(L, idx))
            return .opaque(LuaReference(state: self, ref: reference(at: idx, on: L), typeName: name))
        }
    }

    private func table(at idx: Int32, on L: OpaquePointer, path: inout [UnsafeRawPointer]) throws -> LuaTable {
        guard let id = lua_topointer(L, idx) else { return LuaTable() }
        guard !path.contains(id) else { throw LuaError(kind: .runtime, message: "cannot copy a table that contains itself") }
        guard path.count < Self.maxDepth, lua_checkstack(L, 4) != 0 else {
            throw LuaError(kind: .runtime, message: "table nested too deeply to copy")
        }
        path.append(id)
        defer { path.removeLast() }
        let border = Int(lua_rawlen(L, idx))
        var table = LuaTable()
        table.array.reserveCapacity(border)
        for i in 0..<border {
            defer { lua_settop(L, -2) }
            if lua_rawgeti(L, idx, lua_Integer(i + 1)) == LUA_TNIL { break }
            table.array.append(try value(at: lua_gettop(L), on: L, path: &path))
        }
        let sequence = Int64(table.array.count)
        lua_pushnil(L)
        while lua_next(L, idx) != 0 {
            defer { lua_settop(L, -2) }
            if lua_isinteger(L, -2) != 0 {
                let k = lua_tointegerx(L, -2, nil)
                if k >= 1 && k <= sequence { continue }
            }
            let top = lua_gettop(L)
            do {
                table.hash[try value(at: top - 1, on: L, path: &path)] = try value(at: top, on: L, path: &path)
            } catch {
                lua_settop(L, -2)  // the key; the deferred pop takes the value
                throw error
            }
        }
        return table
    }

    /// A new registry reference to the value at `idx`.
    func reference(at idx: Int32, on L: OpaquePointer) -> Int32 {
        lua_pushvalue(L, idx)
        return luaL_ref(L, clua_registryindex())
    }
}
