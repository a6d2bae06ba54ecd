import Scripting

/// Runs `body` and returns the ``LuaError`` it threw (nil if it succeeded or threw something else).
func luaError(_ body: () throws -> Any) -> LuaError? {
    do {
        _ = try body()
        return nil
    } catch let error as LuaError {
        return error
    } catch {
        return nil
    }
}

/// A state with small limits so runaway tests finish in milliseconds.
func smallState(memory: Int = 16 << 20, instructions: Int = 5_000_000, sandbox: LuaSandbox = LuaSandbox(print: { _ in })) throws -> LuaState {
    try LuaState(limits: LuaLimits(memoryBytes: memory, instructions: instructions), sandbox: sandbox)
}

/// Counts deinits of test objects.
final class DeinitCounter {
    var count = 0
}

/// A Swift object exposed to Lua in tests.
final class Model {
    let name: String
    var weights: [Double]
    let counter: DeinitCounter?

    init(name: String, weights: [Double] = [], counter: DeinitCounter? = nil) {
        self.name = name
        self.weights = weights
        self.counter = counter
    }

    deinit { counter?.count += 1 }
}

/// Another handle type, to check type errors.
final class Dataset {
    let size: Int
    init(size: Int) { self.size = size }
}

struct TrainingFailed: Error, CustomStringConvertible {
    let reason: String
    var description: String { "training failed: \(reason)" }
}
