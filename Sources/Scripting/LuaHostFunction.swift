import CLua
import CLuaSupport

/// A Swift function callable from Lua.
///
/// It reads its arguments through ``LuaArguments`` and returns its results. Argument errors
/// thrown by the getters become Lua errors like
/// `file:line: bad argument #2 to 'aiotwin.train' (number expected, got string)` at the caller's
/// position; any other thrown Swift error becomes the catchable Lua error
/// `file:line: host error: <description>` (``LuaError/Kind/hostError`` if uncaught). Host
/// functions run with the memory cap off and do not count instructions.
public typealias LuaHostFunction = (LuaArguments) throws -> [LuaValue]

/// A host function for hot paths: it pushes its results straight onto the Lua stack through
/// ``LuaResults`` instead of returning an array (no allocation per call), and it must not call
/// back into the state (no Lua calls, no references): it runs without the bookkeeping that
/// makes that safe. Errors as for ``LuaHostFunction``.
public typealias LuaDirectHostFunction = (LuaArguments, inout LuaResults) throws -> Void

/// The results of a ``LuaDirectHostFunction``, pushed as they are produced.
public struct LuaResults: ~Copyable {
    let L: OpaquePointer
    var count: Int32 = 0

    /// Pushes an integer result.
    public mutating func push(_ value: Int) {
        guard lua_checkstack(L, 1) != 0 else { return }
        lua_pushinteger(L, lua_Integer(value))
        count += 1
    }

    /// Pushes a float result.
    public mutating func push(_ value: Double) {
        guard lua_checkstack(L, 1) != 0 else { return }
        lua_pushnumber(L, value)
        count += 1
    }
}

/// A Swift error that is the script's fault (a bad option, a missing file) and reads best as a
/// plain Lua error, `file:line: <luaMessage>`, without the `host error:` prefix.
public protocol LuaRaisableError: Error {
    /// The message raised in Lua.
    var luaMessage: String { get }
}

/// A host function as Lua sees it: the trampoline's upvalue points here (unretained; the state
/// keeps the box alive).
final class LuaHostFunctionBox {
    unowned(unsafe) let state: LuaState
    /// Qualified name for messages, e.g. `aiotwin.train` or `Model:fit`.
    let name: String
    /// 1 for methods (argument #1 is `self`), else 0.
    let selfOffset: Int
    let body: LuaHostFunction?
    let direct: LuaDirectHostFunction?

    init(state: LuaState, name: String, selfOffset: Int, body: LuaHostFunction?, direct: LuaDirectHostFunction? = nil) {
        self.state = state
        self.name = name
        self.selfOffset = selfOffset
        self.body = body
        self.direct = direct
    }

    /// Runs the Swift function; never raises. Returns the result count, or -1 with a message on top.
    func invoke(_ L: OpaquePointer) -> Int32 {
        let arguments = LuaArguments(L: L, state: state, function: self, count: Int(lua_gettop(L)))
        if let direct {
            // A direct function never calls back into the state, so it runs without the
            // bookkeeping below (which costs reference counting on every call).
            var results = LuaResults(L: L)
            do {
                try direct(arguments, &results)
                return results.count
            } catch {
                return fail(error, on: L)
            }
        }
        let state = self.state
        let savedThread = state.active
        state.active = L
        state.hostDepth += 1
        defer {
            state.active = savedThread
            state.hostDepth -= 1
        }
        do {
            guard let body else { return 0 }
            let results = try body(arguments)
            if results.isEmpty { return 0 }
            guard results.count < 1_000_000, lua_checkstack(L, Int32(results.count) + 2) != 0 else {
                throw LuaError(kind: .runtime, message: "too many results (\(results.count))")
            }
            for r in results { try state.push(r, on: L) }
            return Int32(results.count)
        } catch {
            return fail(error, on: L)
        }
    }

    /// Pushes the message for `error` and returns -1, so the trampoline raises it.
    private func fail(_ error: any Error, on L: OpaquePointer) -> Int32 {
        switch error {
        case let error as LuaArgumentError:
            LuaState.pushString(error.message, on: L)
        case let error as LuaRaisableError:
            _ = lua_checkstack(L, 2)
            LuaState.pushString(error.luaMessage, on: L)
        default:
            let message = "host error: \(error)"
            state.lastHostError = (message, error)
            _ = lua_checkstack(L, 2)
            LuaState.pushString(message, on: L)
        }
        return -1
    }
}

/// Called by the C trampoline.
func luaHostDispatch(_ L: OpaquePointer?, _ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let L else { return 0 }
    guard let context else {
        lua_pushnil(L)
        return -1
    }
    // The state keeps the box alive: no retain for the call.
    return Unmanaged<LuaHostFunctionBox>.fromOpaque(context)._withUnsafeGuaranteedRef { $0.invoke(L) }
}

/// Called by a handle's `__gc`: drops the reference the userdata held.
func luaHandleRelease(_ object: UnsafeMutableRawPointer?) {
    guard let object else { return }
    Unmanaged<AnyObject>.fromOpaque(object).release()
}

extension LuaState {
    /// Keeps a host function alive for the state's lifetime and pushes its Lua closure.
    func pushHostFunction(name: String, selfOffset: Int = 0, _ body: @escaping LuaHostFunction) {
        pushHostFunction(LuaHostFunctionBox(state: self, name: name, selfOffset: selfOffset, body: body))
    }

    func pushHostFunction(name: String, selfOffset: Int = 0, direct: @escaping LuaDirectHostFunction) {
        pushHostFunction(LuaHostFunctionBox(state: self, name: name, selfOffset: selfOffset, body: nil, direct: direct))
    }

    private func pushHostFunction(_ box: LuaHostFunctionBox) {
        hostFunctions.append(box)
        _ = lua_checkstack(active, 2)
        clua_push_host_function(active, Unmanaged.passUnretained(box).toOpaque())
    }
}
