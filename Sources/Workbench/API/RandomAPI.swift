import Learning
import Scripting

// aiotwin.random(seed): seeded generators for plugins and scripts (math.random is not seeded
// per run, so results would not be reproducible).

/// A seeded generator as Lua holds it (`Random`). Its state lives at a fixed address, where
/// the C methods `int` and `uniform` draw from it without calling into Swift (a balancer draws
/// on every proxied request).
final class RandomHandle: LuaNativeState {
    private let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 4)
    var nativeState: UnsafeMutableRawPointer { UnsafeMutableRawPointer(words) }

    /// The generator, read from and written back to the shared state.
    var generator: SeededGenerator {
        get { SeededGenerator(state: (words[0], words[1], words[2], words[3])) }
        set { (words[0], words[1], words[2], words[3]) = newValue.state }
    }

    init(seed: UInt64) {
        words.initialize(repeating: 0, count: 4)
        generator = SeededGenerator(seed: seed, label: "lua")
    }

    deinit { words.deallocate() }
}

extension ScriptHost {
    func registerRandomType() -> LuaHandleType {
        // `int` and `uniform` are C functions on the shared state (balancer plugins draw on every
        // request); `normal` is rare enough for a direct host function.
        let type = lua.registerType(name: "Random", methods: [:], directMethods: [
            "normal": { args, results in
                let r = try args.handle(at: 1, as: RandomHandle.self)
                let mean = try args.number(at: 2, default: 0), sd = try args.number(at: 3, default: 1)
                results.push(mean + sd * r.generator.normal())
            },
        ])
        lua.installNativeRandomMethods(on: type)
        return type
    }

    func registerRandomAPI() {
        lua.register(module: "aiotwin", functions: [
            "random": { [unowned self] args in
                let seed = args.isNil(at: 1) ? configuration.seed : UInt64(max(0, try args.integer(at: 1)))
                return [randomValue(RandomHandle(seed: seed))]
            },
        ])
    }
}
