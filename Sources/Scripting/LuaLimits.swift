/// Resource limits of a ``LuaState``, enforced while Lua code runs.
///
/// Both limits apply per *outermost* call from Swift (``LuaState/run(source:chunkName:)``,
/// ``LuaFunctionRef/call(_:)`` and the typed calls); calls made from inside a host function share
/// the budget of the call that is running. Exceeding either limit aborts the whole call with a
/// ``LuaError`` (kind ``LuaError/Kind/instructionLimit`` or ``LuaError/Kind/memory``) that scripts
/// cannot swallow with `pcall`; the state stays usable.
public struct LuaLimits: Sendable, Hashable {
    /// Maximum bytes the interpreter may hold while Lua code runs; 0 means unlimited.
    ///
    /// Host-side pushes (arguments, results, host-function return values) are never refused.
    public var memoryBytes: Int
    /// Maximum VM instructions per outermost call, checked every 1,000 instructions; 0 means
    /// unlimited. Work inside C library functions is not counted, except `table.move`.
    public var instructions: Int

    /// Creates limits; the defaults are 256 MiB and 10⁹ instructions (about 4 s of Lua).
    public init(memoryBytes: Int = 256 << 20, instructions: Int = 1_000_000_000) {
        self.memoryBytes = max(0, memoryBytes)
        self.instructions = max(0, instructions)
    }

    /// No memory cap and no instruction budget.
    public static let unlimited = LuaLimits(memoryBytes: 0, instructions: 0)
}
