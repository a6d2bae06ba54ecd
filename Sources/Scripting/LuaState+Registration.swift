import CLua
import CLuaSupport

extension LuaState {
    /// Exposes Swift functions as the Lua module `module` (a global table, also returned by
    /// `require(module)`).
    ///
    /// Keys may be dotted to build nested tables: `register(module: "aiotwin", functions:
    /// ["data.fashion_mnist": f])` defines `aiotwin.data.fashion_mnist`. Registering into an
    /// existing module adds to it. `module` itself may be dotted (`"aiotwin.data"`).
    public func register(module: String, functions: [String: LuaHostFunction]) {
        let L = active
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        _ = lua_checkstack(L, 8)
        lua_rawgeti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        let parts = module.split(separator: ".").map(String.init)
        for part in parts { descend(into: part, on: L) }
        // _LOADED[module] = the table, so require(module) finds it.
        luaL_getsubtable(L, clua_registryindex(), LUA_LOADED_TABLE)
        lua_pushvalue(L, -2)
        lua_setfield(L, -2, module)
        lua_settop(L, -2)
        let moduleTable = lua_gettop(L)
        for (key, function) in functions.sorted(by: { $0.key < $1.key }) {
            let path = key.split(separator: ".").map(String.init)
            guard let leaf = path.last else { continue }
            lua_pushvalue(L, moduleTable)
            for part in path.dropLast() { descend(into: part, on: L) }
            Self.pushString(leaf, on: L)
            pushHostFunction(name: "\(module).\(key)", function)
            lua_rawset(L, -3)  // raw: a script may have given the table a metatable
            lua_settop(L, moduleTable)
        }
    }

    /// Exposes a Swift function as the global `name`.
    public func register(global name: String, _ function: @escaping LuaHostFunction) {
        let L = active
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        _ = lua_checkstack(L, 4)
        lua_rawgeti(L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        Self.pushString(name, on: L)
        pushHostFunction(name: name, function)
        lua_rawset(L, -3)
    }

    /// Registers a handle type: Swift objects pushed with it become full userdata whose metatable
    /// has `__index` = `methods`, `__gc` (releases the Swift object), `__tostring`
    /// (`Name: 0x…`), `__name` and a protected `__metatable`.
    ///
    /// Method names starting with `__` (e.g. `__tostring`, `__len`, `__eq`, `__call`, `__index`)
    /// go into the metatable instead. Methods are called as `obj:method(...)`; argument #1 is
    /// `self` (read it with ``LuaArguments/handle(at:as:)``), and errors number arguments after
    /// `self` as Lua does. Registering a name again replaces the methods for new handles.
    /// `directMethods` push their results themselves (``LuaDirectHostFunction``, for hot paths).
    @discardableResult
    public func registerType(name: String, methods: [String: LuaHostFunction],
                             directMethods: [String: LuaDirectHostFunction] = [:]) -> LuaHandleType {
        let L = active
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        _ = lua_checkstack(L, 6)
        let id: Int32
        if let existing = handleTypes.firstIndex(of: name) {
            id = Int32(existing)
        } else {
            id = Int32(handleTypes.count)
            handleTypes.append(name)
        }
        lua_createtable(L, 0, 8)  // metatable
        let meta = lua_gettop(L)
        lua_createtable(L, 0, Int32(clamping: methods.count + directMethods.count))  // methods
        for (method, function) in methods.sorted(by: { $0.key < $1.key }) {
            pushHostFunction(name: "\(name):\(method)", selfOffset: 1, function)
            lua_setfield(L, method.hasPrefix("__") ? meta : meta + 1, method)
        }
        for (method, function) in directMethods.sorted(by: { $0.key < $1.key }) {
            pushHostFunction(name: "\(name):\(method)", selfOffset: 1, direct: function)
            lua_setfield(L, method.hasPrefix("__") ? meta : meta + 1, method)
        }
        clua_register_type(L, id, name)
        return LuaHandleType(name: name, id: id)
    }

    /// The registered handle type called `name`, if any.
    public func handleType(named name: String) -> LuaHandleType? {
        handleTypes.firstIndex(of: name).map { LuaHandleType(name: name, id: Int32($0)) }
    }

    /// Leaves `t[name]` on top (creating a table, or replacing a non-table, if needed) above `t`.
    private func descend(into name: String, on L: OpaquePointer) {
        Self.pushString(name, on: L)
        if lua_rawget(L, -2) != LUA_TTABLE {
            lua_settop(L, -2)
            lua_createtable(L, 0, 4)
            Self.pushString(name, on: L)
            lua_pushvalue(L, -2)
            lua_rawset(L, -4)
        }
        lua_copy(L, -1, -2)  // replace the parent with the child
        lua_settop(L, -2)
    }
}
