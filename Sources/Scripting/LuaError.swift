/// An error from loading or running Lua code.
///
/// `message` reads `file:line: message` whenever Lua knows the position (runtime errors,
/// argument errors of host functions, instruction limit); syntax errors read `name:LINE: …`.
/// Memory errors raised by the allocator itself carry only the chunk name.
public struct LuaError: Error, CustomStringConvertible {
    /// Why the code failed.
    public enum Kind: Sendable, Hashable {
        /// The source does not compile, or is bytecode.
        case syntax
        /// A Lua runtime error (including `error(...)` and bad host-function arguments).
        case runtime
        /// The memory cap of ``LuaLimits/memoryBytes`` was exceeded.
        case memory
        /// The instruction budget of ``LuaLimits/instructions`` was spent.
        case instructionLimit
        /// A Swift host function threw and the script did not catch it (see ``underlying``).
        case hostError
    }

    /// Why the code failed.
    public var kind: Kind
    /// The message, `file:line: message` when the position is known.
    public var message: String
    /// Lua's `stack traceback:` text at the point of the error (empty when unavailable).
    public var traceback: String
    /// The Swift error thrown by a host function, for ``Kind/hostError``.
    public var underlying: (any Error)?

    /// Creates an error.
    public init(kind: Kind, message: String, traceback: String = "", underlying: (any Error)? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.underlying = underlying
    }

    /// The message.
    public var description: String { message }
}
