import CLua

/// Facts about the embedded Lua interpreter.
public enum LuaRuntime {
    /// The linked Lua release, e.g. `Lua 5.4.4`.
    public static var release: String { String(cString: clua_release()) }
}
