import CLua

/// A strong reference to a Lua value held in the registry of a ``LuaState``.
///
/// The value stays alive until the reference is released (``release()`` or deinit). A reference
/// keeps its state alive: don't capture references in host functions of the same state unless
/// you release them, or the two form a cycle. Use a reference only on the state's thread.
public class LuaReference {
    /// The state the value lives in.
    public let state: LuaState
    /// The state's identity, compared on hot paths without touching `state`'s reference count.
    let stateID: ObjectIdentifier
    /// The registry slot (`LUA_REFNIL` for `nil`, `LUA_NOREF` once released, which pushes `nil`).
    /// Written only by ``release()``, on the state's thread like every use: hot paths read it
    /// without a dynamic exclusivity check.
    @exclusivity(unchecked) private(set) var ref: Int32
    /// Lua's type name of the value.
    public let typeName: String

    init(state: LuaState, ref: Int32, typeName: String) {
        self.state = state
        self.stateID = ObjectIdentifier(state)
        self.ref = ref
        self.typeName = typeName
    }

    /// Drops the registry slot now; later use pushes `nil`.
    public func release() {
        guard ref >= 0 else { return }
        state.unref(ref)
        ref = LUA_NOREF
    }

    deinit { release() }

    /// The registry slot to push, checked to belong to the state identified by `stateID` (hot
    /// paths compare identities instead of retaining the state).
    func slot(in stateID: ObjectIdentifier) throws -> Int32 {
        guard self.stateID == stateID else {
            throw LuaError(kind: .runtime, message: "a \(typeName) reference from another Lua state")
        }
        return ref
    }

    /// Whether both references denote the same Lua value (raw equality).
    public func isSameValue(as other: LuaReference) -> Bool {
        guard state === other.state else { return false }
        return state.rawEqualReferences(ref, other.ref)
    }
}

/// A reference to a Lua function, callable from Swift any number of times.
///
/// ``call(_:)`` marshals ``LuaValue`` arrays (convenient, ~0.5–1 µs); the typed calls
/// (``callNumbers(_:)``, ``callNumber(_:)`` and friends in `LuaCall.swift`) push Swift values
/// directly and cost about as much as a plain `lua_pcall`. Every call runs guarded: a fresh
/// instruction budget, the memory cap, and a traceback on error.
public final class LuaFunctionRef: LuaReference {
    /// Calls the function with `args` and returns all its results.
    public func call(_ args: [LuaValue] = []) throws -> [LuaValue] {
        try state.callGeneric(ref, args)
    }

    /// Calls the function with `args` and returns all its results.
    public func callAsFunction(_ args: LuaValue...) throws -> [LuaValue] {
        try state.callGeneric(ref, args)
    }
}
