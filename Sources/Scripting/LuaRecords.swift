import CLua
import CLuaSupport

/// One record table being filled by ``LuaCallArguments/pushRecords(count:fields:_:)``: string
/// keys set straight on the Lua stack, no ``LuaValue`` marshalling.
public struct LuaRecord: ~Copyable {
    let L: OpaquePointer
    unowned(unsafe) let state: LuaState

    /// Sets `record[key] = value`.
    public func set(_ key: StaticString, _ value: Double) {
        lua_pushnumber(L, value)
        setField(key)
    }

    /// Sets `record[key] = value`, or clears it for `nil`.
    public func set(_ key: StaticString, _ value: Double?) {
        if let value { lua_pushnumber(L, value) } else { lua_pushnil(L) }
        setField(key)
    }

    /// Sets `record[key] = value` (a Lua integer).
    public func set(_ key: StaticString, _ value: Int) {
        lua_pushinteger(L, lua_Integer(value))
        setField(key)
    }

    /// Sets `record[key] = value`.
    public func set(_ key: StaticString, _ value: String) {
        state.pushString(value, on: L)
        setField(key)
    }

    /// Sets `record[key]` to a table of the numbers by name (an empty table when there are none).
    public func set(_ key: StaticString, numbersByName values: [String: Double]) {
        lua_createtable(L, 0, Int32(clamping: values.count))
        for (name, value) in values {
            lua_pushnumber(L, value)
            name.withCString { lua_setfield(L, -2, $0) }
        }
        setField(key)
    }

    @inline(__always)
    private func setField(_ key: StaticString) {
        key.withUTF8Buffer { bytes in
            bytes.baseAddress.map { lua_setfield(L, -2, UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
    }
}

extension LuaCallArguments {
    /// Pushes a new sequence table of `count` records, record `i` (0-based) filled by
    /// `fill(i, record)` with up to `fields` fields: the cheap way to hand a list of small
    /// structs (a pool of instances, a batch of measurements) to a plugin on a hot path.
    public mutating func pushRecords(count: Int, fields: Int, _ fill: (Int, borrowing LuaRecord) -> Void) {
        // The list, a record, a field value, an attribute table and one of its values.
        guard lua_checkstack(L, 6) != 0 else {
            overflow = true
            return
        }
        self.count += 1
        lua_createtable(L, Int32(clamping: count), 0)
        let record = LuaRecord(L: L, state: state)
        for i in 0..<count {
            lua_createtable(L, 0, Int32(clamping: fields))
            fill(i, record)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }
}

/// What a plugin returned to choose among records it was given: a 1-based index, a name (a
/// string, or a record's `name` field), or something else (its Lua type name).
public enum LuaChoice: Equatable, Sendable {
    /// An integer (1-based position in the list passed).
    case index(Int)
    /// A string, or the `name` field of a returned table.
    case name(String)
    /// Neither: the Lua type name of the result.
    case other(String)
}

/// Record tables kept in Lua between calls, one per key (an instance name, say), handed to a
/// plugin as a list: on a hot path this replaces building a table per record per call (and the
/// garbage it leaves) by setting the fields that changed.
///
/// The plugin sees the same tables on every call, so it must treat them as read-only and not
/// keep them. Use it on the state's thread only.
public final class LuaRecordCache {
    private let list: LuaReference
    private let records: LuaReference
    private var cached = 0
    /// What the list held after the last call: key and table address by position. A plugin may
    /// reorder or change the list, so an entry is reused only if its address still matches.
    private var positions: [(key: String, table: UnsafeRawPointer?)] = []

    /// An empty cache in `state`.
    public init(state: LuaState) {
        let L = state.active
        lua_createtable(L, 8, 0)
        list = LuaReference(state: state, ref: state.reference(at: -1, on: L), typeName: "table")
        lua_createtable(L, 0, 8)
        records = LuaReference(state: state, ref: state.reference(at: -1, on: L), typeName: "table")
        lua_settop(L, -3)
    }

    /// Lays out the list for a call: record `i` is the cached table of `key(i)`, created (and
    /// filled with `isNew` true) on first sight; `fill(i, record, isNew)` then sets its fields.
    /// Leaves the list on the stack of `L`.
    func pushList(on L: OpaquePointer, state: LuaState, count: Int, key: (Int) -> String, fields: Int,
                  _ fill: (Int, borrowing LuaRecord, Bool) -> Void) throws {
        try state.push(list, on: L)
        try state.push(records, on: L)
        let record = LuaRecord(L: L, state: state)
        for i in 0..<count {
            let k = key(i)
            if i < positions.count, positions[i].key == k {
                // Same key at the same place as last time: take the table from the list.
                if lua_rawgeti(L, -2, lua_Integer(i + 1)) == LUA_TTABLE, lua_topointer(L, -1) == positions[i].table {
                    fill(i, record, false)
                    lua_settop(L, -2)
                    continue
                }
                lua_settop(L, -2)
            }
            state.pushString(k, on: L)
            let isNew = lua_rawget(L, -2) != LUA_TTABLE
            if isNew {
                lua_settop(L, -2)
                lua_createtable(L, 0, Int32(clamping: fields))
                state.pushString(k, on: L)
                lua_pushvalue(L, -2)
                lua_rawset(L, -4)
                cached += 1
            }
            fill(i, record, isNew)
            let entry = (key: k, table: lua_topointer(L, -1))
            if i < positions.count { positions[i] = entry } else { positions.append(entry) }
            lua_rawseti(L, -3, lua_Integer(i + 1))
        }
        if positions.count > count { positions.removeLast(positions.count - count) }
        // Shorten the list to this call's records.
        var n = lua_rawlen(L, -2)
        while n > lua_Unsigned(count) {
            lua_pushnil(L)
            lua_rawseti(L, -3, lua_Integer(n))
            n -= 1
        }
        // Forget records of keys gone for good (bounded: at most four times the live count).
        if cached > max(64, 4 * count) {
            lua_createtable(L, 0, Int32(clamping: count))
            for i in 0..<count {
                state.pushString(key(i), on: L)
                state.pushString(key(i), on: L)
                lua_rawget(L, -4)
                lua_rawset(L, -3)
            }
            // The new table replaces the old one in its registry slot.
            lua_rawseti(L, clua_registryindex(), lua_Integer(records.ref))
            cached = count
        }
        lua_settop(L, -2)
    }
}

extension LuaCallArguments {
    /// Pushes the list of `cache`'s records for the keys `key(0..<count)` (see
    /// ``LuaRecordCache``); `fill` sets the fields of record `i`, all of them when `isNew`, else
    /// the ones that change.
    public mutating func pushRecords(cachedIn cache: LuaRecordCache, count: Int, key: (Int) -> String, fields: Int,
                                     _ fill: (Int, borrowing LuaRecord, Bool) -> Void) throws {
        guard lua_checkstack(L, 8) != 0 else {
            overflow = true
            return
        }
        self.count += 1
        try cache.pushList(on: L, state: state, count: count, key: key, fields: fields, fill)
    }
}

extension LuaState {
    /// A registry reference to `value` (pushed once), so that a hot path can pass a table by
    /// reference instead of rebuilding it on every call.
    public func reference(to value: LuaValue) throws -> LuaReference {
        let L = active
        guard lua_checkstack(L, 4) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        try push(value, on: L)
        let ref = luaL_ref(L, clua_registryindex())
        return LuaReference(state: self, ref: ref, typeName: value.typeName)
    }
}
