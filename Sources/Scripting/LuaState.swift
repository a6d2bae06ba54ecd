import CLua
import CLuaSupport

/// An embedded, sandboxed Lua 5.4 interpreter.
///
/// A state runs scripts (``run(source:chunkName:)``, ``run(file:chunkName:)``), exposes Swift
/// functions (``register(module:functions:)``) and objects (``registerType(name:methods:)``),
/// and calls Lua functions back (``LuaFunctionRef``). Every call from Swift is guarded by
/// ``LuaLimits`` and never lets a Lua error unwind through Swift frames.
///
/// **Threading:** a state is not `Sendable` and not thread-safe. Confine it (and its
/// references and values) to one thread, task or actor; use one state per worker for parallelism.
public final class LuaState {
    /// The main thread.
    let L: OpaquePointer
    /// The thread Swift currently works on: the main thread, or the thread that called the
    /// running host function (which may be a coroutine).
    var active: OpaquePointer
    /// Nesting of host-function calls on the Swift stack.
    var hostDepth = 0
    /// Host functions reachable from Lua (Lua holds unretained pointers to them).
    var hostFunctions: [LuaHostFunctionBox] = []
    /// Handle type names by id.
    var handleTypes: [String] = []
    /// Lua type names of the Swift classes pushed as handles, for argument errors.
    var typeNamesByClass: [ObjectIdentifier: String] = [:]
    /// The last Swift error thrown by a host function in the current outermost call.
    var lastHostError: (message: String, error: any Error)?
    private let printSink: (String) -> Void
    private let moduleResolver: ((String) throws -> LuaModuleSource?)?

    /// The limits applied to each outermost call; changes apply from the next call.
    public var limits: LuaLimits {
        didSet { clua_set_limits(L, limits.memoryBytes, Int64(limits.instructions)) }
    }

    /// Creates a state with the sandboxed libraries.
    /// - Throws: ``LuaError`` (kind ``LuaError/Kind/memory``) if the interpreter cannot be created.
    public init(limits: LuaLimits = LuaLimits(), sandbox: LuaSandbox = LuaSandbox()) throws {
        var config = clua_config(mem_limit: limits.memoryBytes, instr_limit: Int64(limits.instructions),
                                 hook_every: 1000, dispatch: luaHostDispatch, release: luaHandleRelease)
        guard let L = clua_new(&config) else { throw LuaError(kind: .memory, message: "cannot create a Lua state") }
        self.L = L
        self.active = L
        self.limits = limits
        self.printSink = sandbox.print
        self.moduleResolver = sandbox.moduleResolver
        let status = clua_open_sandbox(L, sandbox.allowsTextLoad ? 1 : 0, sandbox.providesTimeFunctions ? 1 : 0)
        guard status == LUA_OK else {  // deinit closes the state
            throw LuaError(kind: .memory, message: string(at: -1, on: L))
        }
        pushHostFunction(name: "print") { [unowned self] args in
            printSink(try args.string(at: 1))
            return []
        }
        clua_install_print(L)
        pushHostFunction(name: "require") { [unowned self] args in
            let name = try args.string(at: 1)
            guard let module = try moduleResolver?(name) else { return [.nil] }
            return [.string(module.source), .string(module.chunkName)]
        }
        clua_install_require(L)
        registerType(name: LuaHandleType.numberArray.name, methods: [:])
    }

    deinit { clua_close(L) }

    // MARK: Running code

    /// Compiles and runs `source`; returns the chunk's results.
    /// - Parameter chunkName: Name in messages: errors read `chunkName:LINE: …`.
    /// - Throws: ``LuaError``; bytecode is refused as a syntax error.
    @discardableResult
    public func run(source: String, chunkName: String = "chunk") throws -> [LuaValue] {
        let f = try load(source: source, chunkName: chunkName)
        return try callGeneric(f.ref, [], chunkName: chunkName)
    }

    /// Reads `path` (in Swift) and runs it; the chunk name defaults to `path`.
    @discardableResult
    public func run(file path: String, chunkName: String? = nil) throws -> [LuaValue] {
        let name = chunkName ?? path
        guard let bytes = try readFile(atPath: path) else { return [] }
        let f = try bytes.withUnsafeBytes { try load(bytes: $0, chunkName: name) }
        return try callGeneric(f.ref, [], chunkName: name)
    }

    /// Compiles `source` without running it (text only; bytecode is refused).
    public func load(source: String, chunkName: String = "chunk") throws -> LuaFunctionRef {
        var source = source
        return try source.withUTF8 { try load(bytes: UnsafeRawBufferPointer($0), chunkName: chunkName) }
    }

    private func load(bytes: UnsafeRawBufferPointer, chunkName: String) throws -> LuaFunctionRef {
        let L = active
        guard lua_checkstack(L, 2) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        let status = chunkName.withCString { name in
            bytes.withMemoryRebound(to: CChar.self) { source in
                guard let start = source.baseAddress else { return clua_load(L, name, 0, name) }  // empty source
                return clua_load(L, start, source.count, name)
            }
        }
        guard status == LUA_OK else {
            let message = string(at: -1, on: L)
            lua_settop(L, -2)
            throw LuaError(kind: status == LUA_ERRMEM ? .memory : .syntax, message: message)
        }
        return LuaFunctionRef(state: self, ref: luaL_ref(L, clua_registryindex()), typeName: "function")
    }

    /// Calls the function in registry slot `ref` with `args`, returning all results.
    func callGeneric(_ ref: Int32, _ args: [LuaValue], chunkName: String? = nil) throws -> [LuaValue] {
        let L = active
        let base = lua_gettop(L)
        guard args.count < 1_000_000, lua_checkstack(L, Int32(args.count) + 8) != 0 else {
            throw LuaError(kind: .runtime, message: "too many arguments (\(args.count))")
        }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(ref))
        do {
            for a in args { try push(a, on: L) }
        } catch {
            lua_settop(L, base)
            throw error
        }
        let status = clua_pcall_guarded(L, Int32(args.count), LUA_MULTRET)
        guard status == LUA_OK else { throw callError(status, on: L, base: base, chunkName: chunkName) }
        defer { lua_settop(L, base) }
        let top = lua_gettop(L)
        guard top > base else { return [] }
        var results: [LuaValue] = []
        results.reserveCapacity(Int(top - base))
        for i in (base + 1)...top { results.append(try value(at: i, on: L)) }
        return results
    }

    /// Builds the ``LuaError`` for a failed guarded call and pops the stack back to `base`.
    func callError(_ status: Int32, on L: OpaquePointer, base: Int32, chunkName: String? = nil) -> LuaError {
        let flags = clua_last_flags(L)
        var message: String
        switch lua_type(L, -1) {
        case LUA_TSTRING, LUA_TNUMBER: message = string(at: -1, on: L)
        default: message = "(error object is a \(String(cString: clua_typename_at(L, -1))) value)"
        }
        var traceback = ""
        if status == LUA_ERRRUN {
            clua_push_traceback(L)
            if lua_type(L, -1) == LUA_TSTRING { traceback = string(at: -1, on: L) }
        }
        lua_settop(L, base)
        let outer = hostDepth == 0
        if outer { clua_clear_loading(L) }
        defer { if outer { lastHostError = nil } }
        if flags & Int32(CLUA_FLAG_INSTRUCTIONS) != 0 {
            return LuaError(kind: .instructionLimit, message: message, traceback: traceback)
        }
        if status == LUA_ERRMEM || flags & Int32(CLUA_FLAG_MEMORY) != 0 {
            // LUA_ERRMEM skips the message handler, so it has no position: name the chunk.
            if message == "not enough memory", let chunkName { message = "\(chunkName): \(message)" }
            if message.hasSuffix("not enough memory") && limits.memoryBytes > 0 {
                message += " (limit \(limits.memoryBytes) bytes)"
            }
            return LuaError(kind: .memory, message: message, traceback: traceback)
        }
        if let host = lastHostError, message.hasSuffix(host.message) {
            return LuaError(kind: .hostError, message: message, traceback: traceback, underlying: host.error)
        }
        return LuaError(kind: .runtime, message: message, traceback: traceback)
    }

    // MARK: Globals

    /// The global `name` (raw access: metatables on `_G` are ignored).
    public func global(_ name: String) throws -> LuaValue {
        let L = active
        guard lua_checkstack(L, 3) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        Self.pushString(name, on: L)
        lua_rawget(L, -2)
        defer { lua_settop(L, -3) }
        return try value(at: -1, on: L)
    }

    /// Sets the global `name` (raw access).
    public func setGlobal(_ name: String, _ value: LuaValue) throws {
        let L = active
        guard lua_checkstack(L, 4) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        Self.pushString(name, on: L)
        try push(value, on: L)
        lua_rawset(L, -3)
    }

    /// The function at global path `path` (`"select"` or `"strategy.select"`), for repeated calls.
    /// Walks the tables raw, without copying them.
    /// - Throws: ``LuaError`` (kind ``LuaError/Kind/runtime``) if it is not a function.
    public func function(named path: String) throws -> LuaFunctionRef {
        let L = active
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        guard lua_checkstack(L, 3) != 0 else { throw LuaError(kind: .runtime, message: "Lua stack overflow") }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard lua_type(L, -1) == LUA_TTABLE else {
                throw LuaError(kind: .runtime, message: "'\(path)' is not a function (no table before '\(part)')")
            }
            Self.pushString(String(part), on: L)
            lua_rawget(L, -2)
            lua_copy(L, -1, -2)
            lua_settop(L, -2)
        }
        guard lua_type(L, -1) == LUA_TFUNCTION else {
            throw LuaError(kind: .runtime, message: "'\(path)' is not a function (\(String(cString: clua_typename_at(L, -1))))")
        }
        return LuaFunctionRef(state: self, ref: reference(at: -1, on: L), typeName: "function")
    }

    // MARK: Memory

    /// Runs a full garbage collection (finalizers of released handles run here).
    public func collectGarbage() { _ = clua_gc_collect(L) }

    /// Bytes currently allocated by the interpreter.
    public var memoryUsed: Int { clua_mem_used(L) }
    /// Highest ``memoryUsed`` since creation or ``resetPeakMemory()``.
    public var peakMemoryUsed: Int { clua_mem_peak(L) }
    /// Starts a new peak measurement.
    public func resetPeakMemory() { clua_reset_peak(L) }

    // MARK: References

    /// Stack height of the active thread (for tests: calls must leave it unchanged).
    var stackDepth: Int32 { lua_gettop(active) }

    func unref(_ ref: Int32) {
        let L = active
        guard lua_checkstack(L, 2) != 0 else { return }
        luaL_unref(L, clua_registryindex(), ref)
    }

    func rawEqualReferences(_ a: Int32, _ b: Int32) -> Bool {
        let L = active
        guard lua_checkstack(L, 2) != 0 else { return false }
        lua_rawgeti(L, clua_registryindex(), lua_Integer(a))
        lua_rawgeti(L, clua_registryindex(), lua_Integer(b))
        defer { lua_settop(L, -3) }
        return lua_rawequal(L, -1, -2) != 0
    }
}

/// A state is confined to one thread, task or actor.
@available(*, unavailable)
extension LuaState: Sendable {}
