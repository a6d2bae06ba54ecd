import Learning
import Scripting

// aiotwin.random(seed): seeded generators for plugins and scripts (math.random is not seeded
// per run, so results would not be reproducible).

/// A seeded generator as Lua holds it (`Random`).
final class RandomHandle {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed, label: "lua") }
}

extension ScriptHost {
    func registerRandomType() -> LuaHandleType {
        // Direct methods: balancer plugins draw from rng on every request.
        lua.registerType(name: "Random", methods: [:], directMethods: [
            "int": { args, results in
                let r = try args.handle(at: 1, as: RandomHandle.self)
                let lo = try args.integer(at: 2), hi = try args.integer(at: 3)
                guard lo <= hi else { throw args.argumentError(3, "empty range \(lo)..\(hi)") }
                results.push(lo + r.generator.int(below: hi - lo + 1))
            },
            "uniform": { args, results in
                let r = try args.handle(at: 1, as: RandomHandle.self)
                let lo = try args.number(at: 2, default: 0), hi = try args.number(at: 3, default: 1)
                results.push(lo + (hi - lo) * r.generator.uniform())
            },
            "normal": { args, results in
                let r = try args.handle(at: 1, as: RandomHandle.self)
                let mean = try args.number(at: 2, default: 0), sd = try args.number(at: 3, default: 1)
                results.push(mean + sd * r.generator.normal())
            },
        ])
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
