import CLua
import CLuaSupport

/// One record table of a ``LuaRecordCache`` being filled: string keys set straight on the Lua
/// stack, no ``LuaValue`` marshalling.
public struct LuaRecord: ~Copyable {
    let L: OpaquePointer

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
        LuaState.pushString(value, on: L)
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
    let list: LuaReference
    private let records: LuaReference
    private var cached = 0
    /// What the list held after the last call, by position: the key and the table's address
    /// (nil: not laid out). A plugin may reorder or change the list, so an entry is reused only
    /// if its address still matches.
    private var keys: [String] = []
    private(set) var tables: [UnsafeRawPointer?] = []

    /// An empty cache in `state`.
    public init(state: LuaState) {
        let L = state.active
        lua_createtable(L, 8, 0)
        list = LuaReference(state: state, ref: state.reference(at: -1, on: L), typeName: "table")
        lua_createtable(L, 0, 8)
        records = LuaReference(state: state, ref: state.reference(at: -1, on: L), typeName: "table")
        lua_settop(L, -3)
    }

    /// The 0-based position in the last list laid out of the record table at `address`, if it
    /// was there: a plugin that returns a record is answered without reading its name.
    func position(ofTableAt address: UnsafeRawPointer) -> Int? {
        tables.firstIndex { $0 == address }
    }

    /// Whether the last list laid out was for exactly the keys `key(0..<count)`, in order (the
    /// list itself may since have been changed by the plugin: ``clua_call_choice`` checks that).
    func wasLaidOut(count: Int, key: (Int) -> String) -> Bool {
        guard keys.count == count else { return false }
        for i in 0..<count where tables[i] == nil || keys[i] != key(i) { return false }
        return true
    }

    /// Lays out the list for a call: record `i` is the cached table of `key(i)`, created (and
    /// filled with `isNew` true) on first sight; `fill(i, record, isNew)` then sets its fields.
    /// Leaves the list on the stack of `L`.
    func pushList(on L: OpaquePointer, count: Int, key: (Int) -> String, fields: Int,
                  _ fill: (Int, borrowing LuaRecord, Bool) -> Void) {
        lua_rawgeti(L, clua_registryindex(), lua_Integer(list.ref))
        lua_rawgeti(L, clua_registryindex(), lua_Integer(records.ref))
        if keys.count != count {
            if keys.count > count {
                keys.removeLast(keys.count - count)
                tables.removeLast(tables.count - count)
            } else {
                keys.append(contentsOf: repeatElement("", count: count - keys.count))
                tables.append(contentsOf: repeatElement(nil, count: count - tables.count))
            }
        }
        let record = LuaRecord(L: L)
        for i in 0..<count {
            let k = key(i)
            if let table = tables[i], keys[i] == k {
                // Same key at the same place as last time: take the table from the list.
                if lua_rawgeti(L, -2, lua_Integer(i + 1)) == LUA_TTABLE, lua_topointer(L, -1) == table {
                    fill(i, record, false)
                    lua_settop(L, -2)
                    continue
                }
                lua_settop(L, -2)
            }
            LuaState.pushString(k, on: L)
            let isNew = lua_rawget(L, -2) != LUA_TTABLE
            if isNew {
                lua_settop(L, -2)
                lua_createtable(L, 0, Int32(clamping: fields))
                LuaState.pushString(k, on: L)
                lua_pushvalue(L, -2)
                lua_rawset(L, -4)
                cached += 1
            }
            fill(i, record, isNew)
            keys[i] = k
            tables[i] = lua_topointer(L, -1)
            lua_rawseti(L, -3, lua_Integer(i + 1))
        }
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
                LuaState.pushString(key(i), on: L)
                LuaState.pushString(key(i), on: L)
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
    mutating func pushRecords(cachedIn cache: LuaRecordCache, count: Int, key: (Int) -> String, fields: Int,
                                     _ fill: (Int, borrowing LuaRecord, Bool) -> Void) {
        guard lua_checkstack(L, 8) != 0 else {
            overflow = true
            return
        }
        self.count += 1
        cache.pushList(on: L, count: count, key: key, fields: fields, fill)
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

/// Values passed by reference after a record list on every call of
/// ``LuaFunctionRef/callChoice(records:count:key:fields:refreshes:fill:then:)``: a plugin's
/// `rng` and `params`, say.
public struct LuaReferencedArguments {
    /// Registry slots of their own (releasing the references passed in does not affect them).
    private let storage: Slots?
    var slots: [Int32] { storage?.refs ?? [] }
    /// Their state (nil without arguments).
    let stateID: ObjectIdentifier?

    private final class Slots {
        let state: LuaState
        let refs: [Int32]
        init(state: LuaState, refs: [Int32]) {
            self.state = state
            self.refs = refs
        }
        deinit { for ref in refs { state.unref(ref) } }
    }

    /// The values of `references` (all of one state), in order.
    public init(_ references: [LuaReference]) throws {
        guard let state = references.first?.state else {
            storage = nil
            stateID = nil
            return
        }
        guard references.allSatisfy({ $0.stateID == ObjectIdentifier(state) }) else {
            throw LuaError(kind: .runtime, message: "references from different Lua states")
        }
        let L = state.active
        guard lua_checkstack(L, 2) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        storage = Slots(state: state, refs: try references.map { reference in
            try state.push(reference, on: L)
            return luaL_ref(L, clua_registryindex())
        })
        stateID = ObjectIdentifier(state)
    }
}

extension LuaFunctionRef {
    /// Calls `f(list, arguments...)` with the list of `records`' records for the keys
    /// `key(0..<count)` and reads its choice as ``callChoice(records:_:)`` does. `fill` sets the
    /// fields of record `i`, all of them when `isNew`, else the ones that change;
    /// without `refreshes` (nothing changes in records already filled) and with the same keys
    /// as the last call, if the plugin left the list alone, the call is a single C call that
    /// touches no record: the path of a balancer plugin on every proxied request.
    public func callChoice(records: LuaRecordCache, count: Int, key: (Int) -> String, fields: Int,
                           refreshes: Bool, fill: (Int, borrowing LuaRecord, Bool) -> Void,
                           then arguments: LuaReferencedArguments) throws -> LuaChoice {
        guard records.list.stateID == stateID, arguments.stateID == nil || arguments.stateID == stateID else {
            throw LuaError(kind: .runtime, message: "records or arguments from another Lua state")
        }
        if !refreshes, records.wasLaidOut(count: count, key: key) {
            let L = state.active
            let base = lua_gettop(L)
            var status: Int32 = 0
            var index: lua_Integer = 0
            let outcome = records.tables.withUnsafeBufferPointer { tables in
                arguments.slots.withUnsafeBufferPointer { slots in
                    clua_call_choice(L, ref, records.list.ref, slots.baseAddress, Int32(slots.count),
                                     tables.baseAddress, Int32(count), &status, &index)
                }
            }
            switch Int(outcome) {
            case Int(CLUA_CHOICE_INDEX):
                return .index(Int(index))
            case Int(CLUA_CHOICE_OTHER):
                defer { lua_settop(L, base) }
                return readChoice(L, records: records)
            case Int(CLUA_CHOICE_ERROR):
                throw state.callError(status, on: L, base: base)
            default:
                break  // the plugin changed the list: lay it out again
            }
        }
        return try callChoice(records: records) { args in
            args.pushRecords(cachedIn: records, count: count, key: key, fields: fields, fill)
            for slot in arguments.slots {
                guard lua_checkstack(args.L, 1) != 0 else {
                    args.overflow = true
                    return
                }
                lua_rawgeti(args.L, clua_registryindex(), lua_Integer(slot))
                args.count += 1
            }
        }
    }
}
