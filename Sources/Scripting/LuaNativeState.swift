import CLuaSupport

/// An object whose Lua handle carries the address of state that methods written in C work on,
/// so that a hot method (a random draw per proxied request) runs without calling into Swift.
public protocol LuaNativeState: AnyObject {
    /// The state's address, stable for the object's lifetime.
    var nativeState: UnsafeMutableRawPointer { get }
}

extension LuaState {
    /// Makes `int(lo, hi)` and `uniform([lo [, hi]])` of handle type `type` C functions that
    /// draw from the xoshiro256** state (four `UInt64`) at each object's
    /// ``LuaNativeState/nativeState``: the same draws as `SeededGenerator.int(below:)` and
    /// `uniform()` from that state, errors worded like host functions'. Call after
    /// ``registerType(name:methods:directMethods:)``; handles pushed before keep working.
    public func installNativeRandomMethods(on type: LuaHandleType) {
        let L = active
        clua_install_random_methods(L, type.id, type.name)
    }
}
