#include "clua_support.h"
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLUA_MAGIC 0x4c554148u   /* "LUAH" */
#define CLUA_MEM_RESERVE (1u << 20)

typedef struct clua_ctl {
    size_t used, peak, mem_limit;
    int enforce;                 /* memory cap active (only while Lua code runs) */
    const void *fail_ptr;        /* last refused request, to spot the retry after emergency GC */
    size_t fail_size;
    int pending;                 /* that retry has not happened yet */
    long long instr_limit, instr_left;
    int hook_every;
    int depth;                   /* nesting of guarded calls */
    int exhausted, doomed;       /* instruction budget spent / memory cap hit: every instruction raises */
    int flags;
    clua_dispatch_fn dispatch;
    clua_release_fn release;
} clua_ctl;

static char traceback_key, handles_key, types_key, loading_key;

static clua_ctl *ctl(lua_State *L) {
    void *ud;
    lua_getallocf(L, &ud);
    return (clua_ctl *)ud;
}

/* ---- capping allocator ---- */

static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_ctl *c = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        c->used -= old;
        return NULL;
    }
    if (c->enforce && c->mem_limit && nsize > old) {
        size_t after = c->used - old + nsize;
        /* Lua retries a refused request once after an emergency collection. */
        int retry = c->pending && c->fail_ptr == ptr && c->fail_size == nsize;
        if (after > c->mem_limit) {
            if (retry) {  /* refused again: final, the call stays doomed */
                c->pending = 0;
                return NULL;
            }
            /* Once doomed, a small reserve lets the error be raised and reported. */
            if (!(c->doomed && after <= c->mem_limit + CLUA_MEM_RESERVE)) {
                /* A refusal dooms the call: every instruction raises until it ends, so pcall
                   cannot swallow it (unless the retry succeeds). */
                c->doomed = 1;
                c->pending = 1;
                c->fail_ptr = ptr;
                c->fail_size = nsize;
                return NULL;
            }
        } else if (retry) {  /* rescued by the emergency collection */
            c->pending = 0;
            c->doomed = 0;
        }
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    c->used = c->used - old + nsize;
    if (c->used > c->peak) c->peak = c->used;
    return p;
}

static int panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "Lua panic (unprotected error): %s\n", msg ? msg : "?");
    fflush(stderr);
    return 0;  /* Lua aborts */
}

/* ---- instruction budget ---- */

static void raise_where(lua_State *L, const char *what) {
    clua_ctl *c = ctl(L);
    int enforce = c->enforce;
    c->enforce = 0;  /* the message itself must not fail */
    luaL_where(L, 0);
    lua_pushstring(L, what);
    lua_concat(L, 2);
    c->enforce = enforce;
    lua_error(L);
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_ctl *c = ctl(L);
    if (!c->exhausted && !c->doomed) {
        int every = lua_gethookcount(L);
        if (c->instr_limit > 0) {
            c->instr_left -= every;
            if (c->instr_left <= 0) c->exhausted = 1;
        }
        if (!c->exhausted && !c->doomed) {
            if (every != c->hook_every) lua_sethook(L, count_hook, LUA_MASKCOUNT, c->hook_every);
            return;
        }
    }
    if (c->depth == 0) return;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);  /* raise again at the next instruction */
    if (c->exhausted) {
        char buf[80];
        snprintf(buf, sizeof buf, "instruction limit exceeded (%lld)", c->instr_limit);
        raise_where(L, buf);
    } else {
        raise_where(L, "not enough memory");
    }
}

/* Charges `n` units of work done inside a C library function against the budget. */
static void charge(lua_State *L, lua_Integer n) {
    clua_ctl *c = ctl(L);
    if (c->instr_limit <= 0 || c->depth == 0 || n <= 0) return;
    if (n >= c->instr_left) {
        c->instr_left = 0;
        c->exhausted = 1;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
        char buf[80];
        snprintf(buf, sizeof buf, "instruction limit exceeded (%lld)", c->instr_limit);
        luaL_where(L, 1);
        lua_pushstring(L, buf);
        lua_concat(L, 2);
        lua_error(L);
    }
    c->instr_left -= n;
}

/* ---- state ---- */

static int msgh(lua_State *L);

lua_State *clua_new(const clua_config *config) {
    clua_ctl *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->mem_limit = config->mem_limit;
    c->instr_limit = config->instr_limit;
    c->hook_every = config->hook_every > 0 ? config->hook_every : 1000;
    c->dispatch = config->dispatch;
    c->release = config->release;
    lua_State *L = lua_newstate(alloc, c);
    if (L == NULL) { free(c); return NULL; }
    lua_atpanic(L, panic);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, c->hook_every);
    lua_pushcfunction(L, msgh);  /* stays at index 1 of the main thread */
    return L;
}

void clua_close(lua_State *L) {
    clua_ctl *c = ctl(L);
    c->enforce = 0;
    lua_close(L);
    free(c);
}

void clua_set_limits(lua_State *L, size_t mem_limit, long long instr_limit) {
    clua_ctl *c = ctl(L);
    c->mem_limit = mem_limit;
    c->instr_limit = instr_limit;
}

size_t clua_mem_used(lua_State *L) { return ctl(L)->used; }
size_t clua_mem_peak(lua_State *L) { return ctl(L)->peak; }
void clua_reset_peak(lua_State *L) { clua_ctl *c = ctl(L); c->peak = c->used; }

/* ---- calls ---- */

static int msgh(lua_State *L) {
    clua_ctl *c = ctl(L);
    if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
        if (!(luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING))
            lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
        lua_replace(L, 1);
    }
    c->enforce = 0;  /* the traceback must not fail; the call is ending anyway */
    luaL_traceback(L, L, NULL, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &traceback_key);
    lua_settop(L, 1);
    return 1;
}

int clua_load(lua_State *L, const char *source, size_t length, const char *name) {
    clua_ctl *c = ctl(L);
    size_t n = strlen(name);
    char stack[256];
    char *chunk = n + 2 <= sizeof stack ? stack : malloc(n + 2);
    if (chunk == NULL) { lua_pushliteral(L, "not enough memory"); return LUA_ERRMEM; }
    chunk[0] = '@';
    memcpy(chunk + 1, name, n + 1);
    int enforce = c->enforce;
    c->enforce = 1;  /* parsing is protected: a refusal becomes a status, never a longjmp */
    int st = luaL_loadbufferx(L, source, length, chunk, "t");
    c->enforce = enforce;
    if (chunk != stack) free(chunk);
    return st;
}

int clua_pcall_guarded(lua_State *L, int nargs, int nresults) {
    clua_ctl *c = ctl(L);
    int outer = c->depth == 0;
    int fidx = lua_gettop(L) - nargs;
    int h;
    if (outer) {
        c->instr_left = c->instr_limit;
        c->exhausted = c->doomed = c->pending = 0;
        c->flags = 0;
    }
    if (outer && fidx > 1 && lua_tocfunction(L, 1) == msgh) {
        h = 1;
    } else {
        lua_pushcfunction(L, msgh);
        lua_insert(L, fidx);
        h = fidx;
    }
    int enforce = c->enforce;
    c->depth++;
    c->enforce = 1;
    int st = lua_pcall(L, nargs, nresults, h);
    c->enforce = enforce;
    c->depth--;
    if (h != 1) lua_remove(L, h);
    if (outer) {
        c->flags = (c->exhausted ? CLUA_FLAG_INSTRUCTIONS : 0) | (c->doomed ? CLUA_FLAG_MEMORY : 0);
        if (st == LUA_OK) c->flags = 0;
        if (c->exhausted || c->doomed) lua_sethook(L, count_hook, LUA_MASKCOUNT, c->hook_every);
        c->exhausted = c->doomed = c->pending = 0;
    }
    return st;
}

int clua_last_flags(lua_State *L) {
    clua_ctl *c = ctl(L);
    if (c->depth > 0) return (c->exhausted ? CLUA_FLAG_INSTRUCTIONS : 0) | (c->doomed ? CLUA_FLAG_MEMORY : 0);
    return c->flags;
}

void clua_push_traceback(lua_State *L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &traceback_key); }

static int trampoline(lua_State *L) {
    clua_ctl *c = ctl(L);
    int enforce = c->enforce;
    c->enforce = 0;  /* Swift pushes can never hit the cap */
    int n = c->dispatch(L, lua_touserdata(L, lua_upvalueindex(1)));
    c->enforce = enforce;
    if (n < 0) {
        luaL_where(L, 1);  /* the caller's file:line */
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    return n;
}

void clua_push_host_function(lua_State *L, void *ctx) {
    lua_pushlightuserdata(L, ctx);
    lua_pushcclosure(L, trampoline, 1);
}

/* ---- sandbox ---- */

static int sandbox_print(lua_State *L) {
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, -2);
    lua_call(L, 1, 0);
    return 0;
}

/* The replacements below reimplement the library function instead of wrapping it with
   lua_call, so argument errors and positions read as in stock Lua. */

/* load(chunk [, chunkname [, mode [, env]]]): string chunks only, always text (mode is ignored). */
static int sandbox_load(lua_State *L) {
    size_t l;
    if (lua_type(L, 1) != LUA_TSTRING) return luaL_typeerror(L, 1, "string");
    const char *s = lua_tolstring(L, 1, &l);
    const char *chunkname = luaL_optstring(L, 2, s);
    int env = !lua_isnone(L, 4) ? 4 : 0;
    if (luaL_loadbufferx(L, s, l, chunkname, "t") == LUA_OK) {
        if (env != 0) {
            lua_pushvalue(L, env);
            if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
        }
        return 1;
    }
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

static int sandbox_collectgarbage(lua_State *L) {
    static const char *const opts[] = {"collect", "count", "step", NULL};
    switch (luaL_checkoption(L, 1, "collect", opts)) {
    case 0:
        lua_gc(L, LUA_GCCOLLECT);
        lua_pushinteger(L, 0);
        return 1;
    case 1:
        lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT) + (lua_Number)lua_gc(L, LUA_GCCOUNTB) / 1024);
        return 1;
    default:
        lua_pushboolean(L, lua_gc(L, LUA_GCSTEP, (int)luaL_optinteger(L, 2, 0)));
        return 1;
    }
}

/* __gc finalizers run with hooks off (no instruction limit) at arbitrary points: refuse them. */
static int sandbox_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/* string.rep: an empty result must not loop in C (other results are bounded by the memory cap). */
static int sandbox_rep(lua_State *L) {
    size_t l, lsep;
    const char *s = luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *sep = luaL_optlstring(L, 3, "", &lsep);
    const size_t maxsize = (size_t)LUA_MAXINTEGER < (size_t)-1 ? (size_t)LUA_MAXINTEGER : (size_t)-1;
    if (n <= 0 || (l == 0 && (lsep == 0 || n == 1))) { lua_pushliteral(L, ""); return 1; }
    if (l + lsep < l || l + lsep > maxsize / (size_t)n) return luaL_error(L, "resulting string too large");
    size_t total = (size_t)n * l + (size_t)(n - 1) * lsep;
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, total);
    while (n-- > 1) {
        memcpy(p, s, l);
        p += l;
        if (lsep > 0) { memcpy(p, sep, lsep); p += lsep; }
    }
    memcpy(p, s, l);
    luaL_pushresultsize(&b, total);
    return 1;
}

/* table.move: the loop runs in C, so its length is charged against the instruction budget. */
static int sandbox_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3), t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, tt, LUA_TTABLE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        charge(L, n);
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (lua_Integer i = 0; i < n; i++) { lua_geti(L, 1, f + i); lua_seti(L, tt, t + i); }
        } else {
            for (lua_Integer i = n - 1; i >= 0; i--) { lua_geti(L, 1, f + i); lua_seti(L, tt, t + i); }
        }
    }
    lua_pushvalue(L, tt);
    return 1;
}

static void set_field(lua_State *L, int table, const char *name, lua_CFunction f) {
    lua_pushcfunction(L, f);
    lua_setfield(L, table, name);
}

static int open_sandbox(lua_State *L) {
    int text_load = lua_toboolean(L, 1), os_subset = lua_toboolean(L, 2);
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
        {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    if (text_load) set_field(L, g, "load", sandbox_load);
    else { lua_pushnil(L); lua_setfield(L, g, "load"); }
    set_field(L, g, "collectgarbage", sandbox_collectgarbage);
    set_field(L, g, "setmetatable", sandbox_setmetatable);
    static const char *const removed[] = {"dofile", "loadfile", "print", "require", "warn", NULL};
    for (const char *const *r = removed; *r; r++) { lua_pushnil(L); lua_setfield(L, g, *r); }
    lua_getfield(L, g, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    set_field(L, lua_gettop(L), "rep", sandbox_rep);
    lua_pop(L, 1);
    lua_getfield(L, g, "table");
    set_field(L, lua_gettop(L), "move", sandbox_move);
    lua_pop(L, 1);
    if (os_subset) {
        lua_pushcfunction(L, luaopen_os);
        lua_call(L, 0, 1);
        int full = lua_gettop(L);
        lua_createtable(L, 0, 4);
        static const char *const kept[] = {"clock", "date", "difftime", "time", NULL};
        for (const char *const *k = kept; *k; k++) { lua_getfield(L, full, *k); lua_setfield(L, -2, *k); }
        lua_pushvalue(L, -1);
        lua_setfield(L, g, "os");
        luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
        lua_insert(L, -2);
        lua_setfield(L, -2, "os");
        lua_pop(L, 2);
    }
    /* registry tables: handle cache (weak values) and handle metatables by type id */
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &handles_key);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &types_key);
    return 0;
}

int clua_open_sandbox(lua_State *L, int text_load, int os_subset) {
    lua_pushcfunction(L, open_sandbox);
    lua_pushboolean(L, text_load);
    lua_pushboolean(L, os_subset);
    return lua_pcall(L, 2, 0, 0);
}

void clua_install_print(lua_State *L) {
    lua_pushcclosure(L, sandbox_print, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_insert(L, -2);
    lua_setfield(L, -2, "print");
    lua_pop(L, 1);
}

/* require(name): cache in the registry's _LOADED, else resolver(name) -> source, chunk name. */
static int sandbox_require(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  /* 2 */
    lua_pushvalue(L, 1);
    if (lua_rawget(L, 2) != LUA_TNIL) {
        if (lua_touserdata(L, -1) == &loading_key)
            return luaL_error(L, "module '%s' is being loaded (cyclic require) or failed to load", name);
        return 1;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, 2, 0) != LUA_OK) {  /* a throwing resolver: report at the require call */
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }  /* 3 source, 4 chunk name */
    if (lua_isnil(L, 3)) return luaL_error(L, "module '%s' not found", name);
    size_t len;
    const char *src = luaL_checklstring(L, 3, &len);
    const char *chunk = luaL_optstring(L, 4, name);
    if (lua_isnil(L, 4)) { lua_pushstring(L, chunk); lua_replace(L, 4); }
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, &loading_key);
    lua_rawset(L, 2);
    if (clua_load(L, src, len, chunk) != LUA_OK) {
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, 2);
        return lua_error(L);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 4);
    lua_call(L, 2, 1);
    if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushboolean(L, 1); }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, 2);
    lua_pushvalue(L, 4);
    return 2;
}

void clua_install_require(lua_State *L) {
    lua_pushcclosure(L, sandbox_require, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_insert(L, -2);
    lua_setfield(L, -2, "require");
    lua_pop(L, 1);
}

void clua_clear_loading(lua_State *L) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_touserdata(L, -1) == &loading_key) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, -4);  /* clearing an existing field during traversal is allowed */
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

/* ---- handles ---- */

static int handle_gc(lua_State *L) {
    clua_handle *h = lua_touserdata(L, 1);
    if (h && lua_rawlen(L, 1) == sizeof *h && h->magic == CLUA_MAGIC && h->object) {
        void *o = h->object;
        h->object = NULL;
        h->data = NULL;
        h->count = 0;
        h->native = NULL;
        ctl(L)->release(o);
    }
    return 0;
}

static int handle_tostring(lua_State *L) {
    clua_handle *h = clua_tohandle(L, 1);
    const char *name = clua_typename_at(L, 1);
    if (h == NULL || h->object == NULL) lua_pushfstring(L, "%s (released)", name);
    else if (h->type_id == CLUA_TYPE_NUMBER_ARRAY) lua_pushfstring(L, "%s(%I)", name, (lua_Integer)h->count);
    else lua_pushfstring(L, "%s: %p", name, h->object);
    return 1;
}

static size_t array_index(lua_State *L, clua_handle *h) {
    int isint;
    lua_Integer i = lua_tointegerx(L, 2, &isint);
    if (!isint) luaL_error(L, "%s index must be an integer, got %s", clua_typename_at(L, 1), luaL_typename(L, 2));
    if (h->object == NULL) luaL_error(L, "%s has been released", clua_typename_at(L, 1));
    if (i < 1 || (lua_Unsigned)i > h->count)
        luaL_error(L, "%s index %I out of range (1..%I)", clua_typename_at(L, 1), i, (lua_Integer)h->count);
    return (size_t)(i - 1);
}

static clua_handle *check_array(lua_State *L) {
    clua_handle *h = clua_tohandle(L, 1);
    if (h == NULL || h->type_id != CLUA_TYPE_NUMBER_ARRAY) luaL_error(L, "NumberArray expected");
    return h;
}

static int array_getindex(lua_State *L) {
    clua_handle *h = check_array(L);
    if (lua_type(L, 2) == LUA_TSTRING) {  /* methods */
        lua_pushvalue(L, 2);
        lua_rawget(L, lua_upvalueindex(1));
        return 1;
    }
    lua_pushnumber(L, h->data[array_index(L, h)]);
    return 1;
}

static int array_setindex(lua_State *L) {
    clua_handle *h = check_array(L);
    size_t i = array_index(L, h);
    int isnum;
    lua_Number v = lua_tonumberx(L, 3, &isnum);
    if (!isnum || lua_type(L, 3) != LUA_TNUMBER)
        return luaL_error(L, "%s element must be a number, got %s", clua_typename_at(L, 1), luaL_typename(L, 3));
    h->data[i] = v;
    return 0;
}

static int array_len(lua_State *L) {
    clua_handle *h = check_array(L);
    lua_pushinteger(L, (lua_Integer)h->count);
    return 1;
}

void clua_register_type(lua_State *L, int type_id, const char *name) {
    int methods = lua_gettop(L), meta = methods - 1;
    lua_pushstring(L, name);
    lua_setfield(L, meta, "__name");
    lua_pushstring(L, name);
    lua_setfield(L, meta, "__metatable");
    lua_pushcfunction(L, handle_gc);
    lua_setfield(L, meta, "__gc");
    if (lua_getfield(L, meta, "__tostring") == LUA_TNIL) {
        lua_pushcfunction(L, handle_tostring);
        lua_setfield(L, meta, "__tostring");
    }
    lua_pop(L, 1);
    if (type_id == CLUA_TYPE_NUMBER_ARRAY) {
        lua_pushvalue(L, methods);
        lua_pushcclosure(L, array_getindex, 1);
        lua_setfield(L, meta, "__index");
        lua_pushcfunction(L, array_setindex);
        lua_setfield(L, meta, "__newindex");
        lua_pushcfunction(L, array_len);
        lua_setfield(L, meta, "__len");
    } else if (lua_getfield(L, meta, "__index") == LUA_TNIL) {
        lua_pushvalue(L, methods);
        lua_setfield(L, meta, "__index");
    }
    lua_settop(L, meta);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &types_key);
    lua_insert(L, -2);
    lua_rawseti(L, -2, type_id + 1);
    lua_pop(L, 1);
}

int clua_push_type_methods(lua_State *L, int type_id) {
    int top = lua_gettop(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &types_key);
    if (lua_rawgeti(L, -1, type_id + 1) == LUA_TTABLE && lua_getfield(L, -1, "__index") == LUA_TTABLE) {
        lua_replace(L, top + 1);
        lua_settop(L, top + 1);
        return 1;
    }
    lua_settop(L, top);
    return 0;
}

int clua_push_cached_handle(lua_State *L, const void *object, int type_id) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &handles_key);
    if (lua_rawgetp(L, -1, object) == LUA_TUSERDATA) {
        clua_handle *h = lua_touserdata(L, -1);
        if (h->object == object && h->type_id == type_id) {
            lua_remove(L, -2);
            return 1;
        }
    }
    lua_pop(L, 2);
    return 0;
}

void clua_push_new_handle(lua_State *L, void *retained_object, int type_id, double *data, size_t count, void *native) {
    clua_handle *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->object = retained_object;
    h->data = data;
    h->count = count;
    h->native = native;
    h->magic = CLUA_MAGIC;
    h->type_id = type_id;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &types_key);
    lua_rawgeti(L, -1, type_id + 1);
    lua_setmetatable(L, -3);
    lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &handles_key);
    lua_pushvalue(L, -2);
    lua_rawsetp(L, -2, retained_object);
    lua_pop(L, 1);
}

clua_handle *clua_tohandle(lua_State *L, int idx) {
    /* A light userdata has raw length 0, so the length tells full handles apart. */
    clua_handle *h = lua_touserdata(L, idx);
    if (h == NULL || lua_rawlen(L, idx) != sizeof(clua_handle)) return NULL;
    return h->magic == CLUA_MAGIC ? h : NULL;
}

const char *clua_typename_at(lua_State *L, int idx) {
    if (lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) {
        lua_pushliteral(L, "__name");
        int t = lua_rawget(L, -2);
        const char *name = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 2);  /* the string stays alive in the metatable */
        if (name) return name;
    }
    return luaL_typename(L, idx);
}
