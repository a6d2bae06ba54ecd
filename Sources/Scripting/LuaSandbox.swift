/// What a ``LuaState`` exposes to scripts beyond the pure libraries.
///
/// Scripts always get `base` (without `dofile`, `loadfile`, `warn`; `collectgarbage` limited to
/// `"collect"`, `"count"` and `"step"`; `setmetatable` refusing `__gc`), `table`, `string`
/// (without `string.dump`), `math`, `utf8` and `coroutine`. `io`, `os`, `package` and `debug` are
/// never opened. `print` and `require` always go through Swift (``print`` and ``moduleResolver``).
public struct LuaSandbox {
    /// Receives each line written by `print` (arguments joined by tabs, no newline).
    /// Defaults to standard output.
    public var print: (String) -> Void
    /// Resolves `require(name)`; `nil`, or a resolver returning `nil`, means "module not found".
    /// Results are cached per state (in Lua's `_LOADED` table), so each module loads once.
    public var moduleResolver: ((String) throws -> LuaModuleSource?)?
    /// Provide `load(string [, chunkname [, mode [, env]]])` for text: the mode argument is
    /// ignored (always `"t"`, bytecode is refused) and reader functions are not accepted. Loaded
    /// code sees the same sandboxed globals (or `env`), so it cannot reach more than the script.
    public var allowsTextLoad: Bool
    /// Provide `os.time`, `os.clock`, `os.date` and `os.difftime` in a table `os` (nothing else).
    public var providesTimeFunctions: Bool

    /// Creates a policy; by default `print` writes to standard output and `require` finds nothing.
    public init(print: @escaping (String) -> Void = { Swift.print($0) },
                moduleResolver: ((String) throws -> LuaModuleSource?)? = nil,
                allowsTextLoad: Bool = true,
                providesTimeFunctions: Bool = true) {
        self.print = print
        self.moduleResolver = moduleResolver
        self.allowsTextLoad = allowsTextLoad
        self.providesTimeFunctions = providesTimeFunctions
    }
}
