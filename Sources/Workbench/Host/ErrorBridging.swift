import Learning
import Scripting
import Storage

// Errors of the engine and the run store raised inside an aiotwin.* call are the script's
// business (a bad option, a missing file): they read as plain `file:line: message` Lua errors.

extension LearningError: LuaRaisableError {
    public var luaMessage: String { description }
}

extension RunFileError: LuaRaisableError {
    public var luaMessage: String { description }
}

extension StorageError: LuaRaisableError {
    public var luaMessage: String { description }
}

extension HDF5Error: LuaRaisableError {
    public var luaMessage: String { description }
}
