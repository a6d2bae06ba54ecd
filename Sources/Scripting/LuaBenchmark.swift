/// Micro-benchmark of Swift ↔ Lua call overhead in the full sandbox (guarded pcall, count hook,
/// capping allocator). Run it from a release build.
public enum LuaBenchmark {
    /// One measured path.
    public struct Row: Sendable, Hashable, Codable {
        /// What was measured.
        public let name: String
        /// Best of the repetitions, nanoseconds per call.
        public let nanosecondsPerCall: Double
    }

    /// Times `body`, which makes `calls` calls and returns a checksum (so the work is not
    /// optimised away): the best of `repetitions`, in nanoseconds per call.
    public static func measure(_ name: String, calls: Int, repetitions: Int, _ body: () throws -> Double) throws -> Row {
        var best = Double.infinity
        var sink = 0.0
        for _ in 0..<max(1, repetitions) {
            let start = ContinuousClock.now
            sink += try body()
            let elapsed = ContinuousClock.now - start
            let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            best = min(best, ns / Double(max(1, calls)))
        }
        guard sink.isFinite else { throw LuaError(kind: .runtime, message: "benchmark result is not finite") }
        return Row(name: name, nanosecondsPerCall: best)
    }

    /// Measures each path `iterations` times (best of `repetitions`).
    public static func run(iterations: Int = 1_000_000, repetitions: Int = 3) throws -> [Row] {
        let lua = try LuaState()
        try lua.run(source: """
            function sum2(a, b) return a + b end
            function sum4(a, b, c, d) return a + b + c + d end
            function sum8(a, b, c, d, e, f, g, h) return a + b + c + d + e + f + g + h end
            function touch(model) return 1 end
            function score(model, xs) local s = 0 for i = 1, #xs do s = s + xs[i] end return s end
            function score_bias(model, xs) local s = model:bias() for i = 1, #xs do s = s + xs[i] end return s end
            function lua_loop(n) local f = function(x) return x end local s = 0 for i = 1, n do s = s + f(i) end return s end
            function host_loop(n) local f = host_identity local s = 0 for i = 1, n do s = s + f(i) end return s end
            """, chunkName: "bench.lua")
        lua.register(global: "host_identity") { args in [.number(try args.number(at: 1))] }
        let modelType = lua.registerType(name: "Model", methods: ["bias": { _ in [.number(0.5)] }])
        final class Model {}
        let model = Model()
        let eight: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
        let array = LuaNumberArray(eight)
        let sum2 = try lua.function(named: "sum2"), sum4 = try lua.function(named: "sum4")
        let sum8 = try lua.function(named: "sum8"), score = try lua.function(named: "score")
        let scoreBias = try lua.function(named: "score_bias"), touch = try lua.function(named: "touch")
        let luaLoop = try lua.function(named: "lua_loop"), hostLoop = try lua.function(named: "host_loop")
        let generic = eight.map(LuaValue.number)

        func measure(_ name: String, calls: Int = iterations, _ body: () throws -> Double) throws -> Row {
            try LuaBenchmark.measure(name, calls: calls, repetitions: repetitions, body)
        }

        return try eight.withUnsafeBufferPointer { buffer in
            [
                try measure("generic call([LuaValue]), 8 numbers -> [LuaValue]") {
                    var s = 0.0
                    for _ in 0..<iterations { s += try sum8.call(generic).first?.doubleValue ?? 0 }
                    return s
                },
                try measure("callNumbers, 2 numbers -> 1") {
                    let args = UnsafeBufferPointer(rebasing: buffer[0..<2])
                    var s = 0.0
                    for _ in 0..<iterations { s += try sum2.callNumbers(args) }
                    return s
                },
                try measure("callNumbers, 4 numbers -> 1") {
                    let args = UnsafeBufferPointer(rebasing: buffer[0..<4])
                    var s = 0.0
                    for _ in 0..<iterations { s += try sum4.callNumbers(args) }
                    return s
                },
                try measure("callNumbers, 8 numbers -> 1") {
                    var s = 0.0
                    for _ in 0..<iterations { s += try sum8.callNumbers(buffer) }
                    return s
                },
                try measure("callNumber builder, 2 numbers -> 1") {
                    var s = 0.0
                    for i in 0..<iterations { s += try sum2.callNumber { $0.push(Double(i)); $0.push(1.0) } }
                    return s
                },
                try measure("handle only -> 1") {
                    var s = 0.0
                    for _ in 0..<iterations { s += try touch.callNumber { try $0.push(handle: model, type: modelType) } }
                    return s
                },
                try measure("handle + 8-number table -> 1 (Lua sums)") {
                    var s = 0.0
                    for _ in 0..<iterations {
                        s += try score.callNumber { args in
                            try args.push(handle: model, type: modelType)
                            args.push(numbers: buffer)
                        }
                    }
                    return s
                },
                try measure("handle + NumberArray(8) -> 1 (Lua sums)") {
                    var s = 0.0
                    for _ in 0..<iterations {
                        s += try score.callNumber { args in
                            try args.push(handle: model, type: modelType)
                            args.push(array)
                        }
                    }
                    return s
                },
                try measure("handle + NumberArray(8), Lua calls model:bias() -> 1") {
                    var s = 0.0
                    for _ in 0..<iterations {
                        s += try scoreBias.callNumber { args in
                            try args.push(handle: model, type: modelType)
                            args.push(array)
                        }
                    }
                    return s
                },
                try measure("Lua -> Lua function call (in-Lua loop, per call)") { try luaLoop.callNumbers([Double(iterations)]) },
                try measure("Lua -> Swift host function call (in-Lua loop, per call)") { try hostLoop.callNumbers([Double(iterations)]) },
            ]
        }
    }
}
