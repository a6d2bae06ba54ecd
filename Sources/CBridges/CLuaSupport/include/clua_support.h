// The only C code that may raise Lua errors (longjmp). Swift never raises: host functions return
// -1 after pushing a message and the trampoline raises once the Swift frame has returned. See
// ../shared/specs/swift-c-interop.md §4.
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <lua5.4/lua.h>

/// Called by the trampoline for a host function: returns the number of results pushed, or -1
/// after pushing an error message (raised with the caller's `file:line:` prefix).
typedef int (*clua_dispatch_fn)(lua_State *L, void *ctx);
/// Drops the Swift reference held by a handle userdata (called from its `__gc`).
typedef void (*clua_release_fn)(void *object);

typedef struct clua_config {
    size_t mem_limit;            // bytes while Lua code runs; 0 = unlimited
    long long instr_limit;       // VM instructions per outermost call; 0 = unlimited
    int hook_every;              // count-hook period (instructions)
    clua_dispatch_fn dispatch;
    clua_release_fn release;
} clua_config;

/// Payload of every handle userdata (a Swift object exposed to Lua).
typedef struct clua_handle {
    void *object;                // +1 retained Swift object; NULL once released
    double *data;                // element storage for number arrays, else NULL
    size_t count;                // element count for number arrays
    void *native;                // state that C methods work on (a random generator's), else NULL
    uint32_t magic;
    int32_t type_id;
} clua_handle;

enum { CLUA_FLAG_INSTRUCTIONS = 1, CLUA_FLAG_MEMORY = 2 };
enum { CLUA_TYPE_NUMBER_ARRAY = 0 };

/// A new state with capping allocator, panic handler and count hook; NULL if out of memory.
lua_State *clua_new(const clua_config *config);
void clua_close(lua_State *L);
void clua_set_limits(lua_State *L, size_t mem_limit, long long instr_limit);
size_t clua_mem_used(lua_State *L);
size_t clua_mem_peak(lua_State *L);
void clua_reset_peak(lua_State *L);

/// Opens base, table, string, math, utf8, coroutine (and an os subset) with the sandbox edits.
/// Runs protected; returns a Lua status with a message on the stack when not LUA_OK.
int clua_open_sandbox(lua_State *L, int text_load, int os_subset);
/// Compiles text only (mode "t") with chunk name "@name".
int clua_load(lua_State *L, const char *source, size_t length, const char *name);
/// pcall with traceback handler, memory cap on and (outermost call) a fresh instruction budget.
int clua_pcall_guarded(lua_State *L, int nargs, int nresults);
/// CLUA_FLAG_* describing why the last outermost call stopped (live flags inside a call).
int clua_last_flags(lua_State *L);
/// Pushes the traceback recorded by the message handler for the last error (or nil).
void clua_push_traceback(lua_State *L);

/// Pushes a Lua function that calls `dispatch(L, ctx)`.
void clua_push_host_function(lua_State *L, void *ctx);
/// Pops a host function (the sink, called with one string) and installs `print` around it.
void clua_install_print(lua_State *L);
/// Pops a host function (the resolver: name -> source, chunk name | nil) and installs `require`.
void clua_install_require(lua_State *L);
/// Removes modules left half-loaded (by an error) from the `require` cache.
void clua_clear_loading(lua_State *L);

/// Pops a methods table and a metamethods table and registers handle type `type_id`.
void clua_register_type(lua_State *L, int type_id, const char *name);
/// Pushes the cached userdata for `object` of `type_id` and returns 1, or pushes nothing.
int clua_push_cached_handle(lua_State *L, const void *object, int type_id);
/// Pushes a new handle userdata owning `retained_object` and caches it.
void clua_push_new_handle(lua_State *L, void *retained_object, int type_id, double *data, size_t count, void *native);
/// What ``clua_call_choice`` did.
enum {
    CLUA_CHOICE_CHANGED = 0,  // the list is not as expected: nothing called, stack unchanged
    CLUA_CHOICE_INDEX = 1,    // an integer or one of the list's tables (its 1-based position) in *index
    CLUA_CHOICE_OTHER = 2,    // another result, left on top of the stack
    CLUA_CHOICE_ERROR = 3     // the call failed: *status, and the error on top of the stack
};
/// Calls the function in registry slot `fn` as f(list, args...) with one result, where `list`
/// is the table in registry slot `list` and `args` are registry slots, if that table still
/// holds exactly the tables at addresses `tables[0..<n]`. The call is guarded.
int clua_call_choice(lua_State *L, int fn, int list, const int *args, int nargs,
                     const void *const *tables, int n, int *status, lua_Integer *index);
/// Pushes the methods table of handle type `type_id` and returns 1, or pushes nothing and
/// returns 0 (no such type, or its `__index` is not a table).
int clua_push_type_methods(lua_State *L, int type_id);
/// Sets `int(lo, hi)` and `uniform([lo [, hi]])` of handle type `type_id` (called `name`) to C
/// functions drawing from the xoshiro256** state (`uint64_t[4]`) in each handle's `native`: the
/// same generator and draws as Swift's `SeededGenerator`, without leaving C. Call after
/// registering the type.
void clua_install_random_methods(lua_State *L, int type_id, const char *name);
/// The handle at `idx`, or NULL if the value is not a handle.
clua_handle *clua_tohandle(lua_State *L, int idx);
/// The registered name of handle type `type_id` (pushes it), for messages.
const char *clua_typename_at(lua_State *L, int idx);
