/* Random generator methods in C: a balancer plugin draws on every proxied request, and a call
   through the host-function trampoline into Swift costs several times the draw itself.

   The generator is Swift's SeededGenerator (Sources/Learning/Random/SeededGenerator.swift):
   xoshiro256**, Lemire's unbiased bounded integers and 53-bit uniform doubles. Both sides must
   draw the same numbers from the same state; ScriptingTests check it draw for draw. */
#include "clua_support.h"
#include <lua5.4/lauxlib.h>
#include <stdarg.h>

/* No fused multiply-add (clang contracts a + b * c by default on arm64): Swift never fuses, and
   uniform() must give the same bits. */
#pragma STDC FP_CONTRACT OFF

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(uint64_t *s) {
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* A uniform integer in [0, bound) for bound > 0 (Lemire's multiply-and-reject). */
static uint64_t below(uint64_t *s, uint64_t bound) {
    __uint128_t m = (__uint128_t)next(s) * bound;
    if ((uint64_t)m < bound) {
        uint64_t threshold = (0 - bound) % bound;
        while ((uint64_t)m < threshold) m = (__uint128_t)next(s) * bound;
    }
    return (uint64_t)(m >> 64);
}

/* Raises `file:line: bad argument #i to 'Random:int' (message)` like the Swift host functions
   (upvalue 2 is the qualified name; argument numbers exclude self). */
static int fail(lua_State *L, const char *fmt, ...) {
    luaL_where(L, 1);
    va_list ap;
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    return lua_error(L);
}

static const char *qualified_name(lua_State *L) { return lua_tostring(L, lua_upvalueindex(2)); }

static uint64_t *self_state(lua_State *L) {
    clua_handle *h = clua_tohandle(L, 1);
    if (h == NULL || h->object == NULL || h->native == NULL || h->type_id != lua_tointeger(L, lua_upvalueindex(1))) {
        const char *type = lua_tostring(L, lua_upvalueindex(3));
        fail(L, "calling '%s' on bad self (%s expected, got %s)", qualified_name(L), type, clua_typename_at(L, 1));
    }
    return h->native;
}

static lua_Integer integer_arg(lua_State *L, int i) {
    if (lua_type(L, i) != LUA_TNUMBER)
        fail(L, "bad argument #%d to '%s' (number expected, got %s)", i - 1, qualified_name(L), clua_typename_at(L, i));
    int isint;
    lua_Integer v = lua_tointegerx(L, i, &isint);
    if (!isint) fail(L, "bad argument #%d to '%s' (number has no integer representation)", i - 1, qualified_name(L));
    return v;
}

static lua_Number number_arg(lua_State *L, int i, lua_Number absent) {
    int t = lua_type(L, i);
    if (t == LUA_TNONE || t == LUA_TNIL) return absent;
    if (t != LUA_TNUMBER)
        fail(L, "bad argument #%d to '%s' (number expected, got %s)", i - 1, qualified_name(L), clua_typename_at(L, i));
    return lua_tonumber(L, i);
}

/* rng:int(lo, hi): uniform in [lo, hi]. */
static int random_int(lua_State *L) {
    uint64_t *s = self_state(L);
    lua_Integer lo = integer_arg(L, 2), hi = integer_arg(L, 3);
    if (lo > hi) fail(L, "bad argument #2 to '%s' (empty range %I..%I)", qualified_name(L), lo, hi);
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;  /* 0: all 2^64 integers */
    uint64_t draw = span == 0 ? next(s) : below(s, span);
    lua_pushinteger(L, (lua_Integer)((uint64_t)lo + draw));
    return 1;
}

/* rng:uniform([lo [, hi]]): uniform in [lo, hi), by default [0, 1). */
static int random_uniform(lua_State *L) {
    uint64_t *s = self_state(L);
    lua_Number lo = number_arg(L, 2, 0), hi = number_arg(L, 3, 1);
    lua_Number u = (lua_Number)(next(s) >> 11) * 0x1.0p-53;
    lua_pushnumber(L, lo + (hi - lo) * u);
    return 1;
}

static void set_method(lua_State *L, int methods, int type_id, const char *type, const char *method, lua_CFunction f) {
    lua_pushinteger(L, type_id);
    lua_pushfstring(L, "%s:%s", type, method);
    lua_pushstring(L, type);
    lua_pushcclosure(L, f, 3);
    lua_setfield(L, methods, method);
}

void clua_install_random_methods(lua_State *L, int type_id, const char *name) {
    if (!lua_checkstack(L, 8) || !clua_push_type_methods(L, type_id)) return;
    int methods = lua_gettop(L);
    set_method(L, methods, type_id, name, "int", random_int);
    set_method(L, methods, type_id, name, "uniform", random_uniform);
    lua_pop(L, 1);
}
