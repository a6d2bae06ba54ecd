/* The hot call of a balancer plugin, pick(list, ...), in one C function: when the list of
   records laid out for the last call is unchanged, a pick touches no record and makes no call
   from Swift into Lua's C API but this one. */
#include "clua_support.h"

int clua_call_choice(lua_State *L, int fn, int list, const int *args, int nargs,
                     const void *const *tables, int n, int *status, lua_Integer *index) {
    if (!lua_checkstack(L, nargs + 4)) return CLUA_CHOICE_CHANGED;
    int base = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
    int t = base + 2;
    if (lua_rawgeti(L, LUA_REGISTRYINDEX, list) != LUA_TTABLE || lua_rawlen(L, t) != (lua_Unsigned)n) goto changed;
    for (int i = 0; i < n; i++) {
        int type = lua_rawgeti(L, t, i + 1);
        const void *p = lua_topointer(L, -1);
        lua_pop(L, 1);
        if (type != LUA_TTABLE || p != tables[i]) goto changed;
    }
    for (int i = 0; i < nargs; i++) lua_rawgeti(L, LUA_REGISTRYINDEX, args[i]);
    *status = clua_pcall_guarded(L, 1 + nargs, 1);
    if (*status != LUA_OK) return CLUA_CHOICE_ERROR;
    if (lua_type(L, -1) == LUA_TNUMBER) {
        int isint;
        lua_Integer i = lua_tointegerx(L, -1, &isint);
        if (isint) {
            *index = i;
            lua_settop(L, base);
            return CLUA_CHOICE_INDEX;
        }
    } else if (lua_type(L, -1) == LUA_TTABLE) {
        const void *p = lua_topointer(L, -1);
        for (int i = 0; i < n; i++) {
            if (tables[i] == p) {
                *index = i + 1;
                lua_settop(L, base);
                return CLUA_CHOICE_INDEX;
            }
        }
    }
    return CLUA_CHOICE_OTHER;
changed:
    lua_settop(L, base);
    return CLUA_CHOICE_CHANGED;
}
