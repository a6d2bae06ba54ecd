import Foundation
import Learning
import Scripting
import Storage
import Testing
@testable import Workbench

@Suite("Lua API")
struct LuaAPITests {
    static let small = "aiotwin.data.synthetic{ classes = 4, shape = {1, 12, 12}, train = 400, test = 100, seed = 3 }"
    static let tinyModel = """
        aiotwin.model.define{ input = {1, 12, 12}, seed = 1, layers = {
          { type = "conv2d", out = 4, kernel = 3 }, { type = "relu" }, { type = "maxpool2d", kernel = 2 },
          { type = "flatten" }, { type = "linear", out = 4 } } }
        """

    @Test("globals: version, seed, params with numbers and booleans converted")
    func globals() throws {
        let t = try TestHost(seed: 7, parameters: ["lr": "0.05", "epochs": "3", "fast": "true", "name": "x"])
        let r = try t.run("return aiotwin.seed, aiotwin.params.lr, aiotwin.params.epochs, aiotwin.params.fast, aiotwin.params.name, aiotwin.version")
        #expect(r[0] == .integer(7))
        #expect(r[1] == .number(0.05))
        #expect(r[2] == .integer(3))
        #expect(r[3] == .boolean(true))
        #expect(r[4] == .string("x"))
        #expect(r[5].stringValue?.split(separator: ".").count == 3)
    }

    @Test("data sets, partitions and indices are handles with methods")
    func data() throws {
        let t = try TestHost()
        let r = try t.run("""
            local d = \(Self.small)
            local p = aiotwin.data.partition(d.train, { scheme = "labels:1", clients = 4, seed = 2 })
            local h = p:histograms()
            local nonzero = 0
            for _, c in ipairs(h[1]) do if c > 0 then nonzero = nonzero + 1 end end
            local sub = p:dataset(2)
            return d.train:count(), d.test:count(), d.train:classes(), #p, nonzero, sub:count(), p:client(2):count(), d.train:histogram()[1]
            """)
        #expect(r.map { $0.intValue } == [400, 100, 4, 4, 1, 100, 100, 100])
    }

    @Test("models train, evaluate and learn; the same seed gives the same numbers")
    func training() throws {
        func accuracy(seed: UInt64) throws -> (Double, Double) {
            let t = try TestHost(seed: seed)
            let r = try t.run("""
                local d = \(Self.small)
                local m = \(Self.tinyModel)
                local before = m:evaluate(d.test).accuracy
                local fit = m:train(d.train, { epochs = 3, lr = 0.05, momentum = 0.9 })
                assert(fit.epochs == 3 and fit.samples == 1200)
                return before, m:evaluate(d.test).accuracy
                """)
            return (r[0].doubleValue ?? -1, r[1].doubleValue ?? -1)
        }
        let (before, after) = try accuracy(seed: 1)
        #expect(after > 0.9 && after > before, "accuracy \(before) -> \(after)")
        #expect(try accuracy(seed: 1) == (before, after))
    }

    @Test("options are checked: unknown keys, wrong types and ranges name the function and the field")
    func options() throws {
        let t = try TestHost()
        let setup = "local d = \(Self.small); local m = \(Self.tinyModel);"
        let typo = t.failure(setup + "m:train(d.train, { epoch = 2 })")
        #expect(typo.hasPrefix("test.lua:3:") && typo.contains("unknown option 'epoch'") && typo.contains("epochs"))
        let type = t.failure(setup + "m:train(d.train, { lr = 'fast' })")
        #expect(type.contains("option 'lr' must be a finite number, got string"))
        let range = t.failure(setup + "m:train(d.train, { batch_size = 0 })")
        #expect(range.contains("batch_size") && range.contains("1...65536"))
        let arg = t.failure("aiotwin.model.cnn{}:train(\(Self.small))")
        #expect(arg.contains("bad argument #1 to 'Model:train' (Dataset expected, got table)"))
        let shape = t.failure(setup + "aiotwin.model.cnn{}:evaluate(d.test)")
        #expect(shape.contains("1x28x28") && shape.contains("1x12x12"))
        let layer = t.failure("aiotwin.model.define{ input = {1, 8, 8}, layers = { { type = 'conv3d', out = 2 } } }")
        #expect(layer.contains("conv3d"))
    }

    @Test("paths outside the allowed roots are refused")
    func policy() throws {
        let t = try TestHost()
        #expect(t.failure("aiotwin.data.load('mnist', { dir = '/etc' })").contains("outside the working directory"))
        #expect(t.failure("aiotwin.runs.read('/etc/passwd')").contains("outside"))
        #expect(t.failure("aiotwin.runs.create{ name = 'x', path = '/tmp/../etc/x.h5' }").contains("outside"))
    }

    @Test("the sandbox explains what is missing")
    func sandbox() throws {
        let t = try TestHost()
        #expect(t.failure("os.execute('ls')").contains("os.execute is not available"))
        #expect(t.failure("io.open('/etc/passwd')").contains("io is not available"))
        #expect(t.failure("dofile('x.lua')").contains("dofile is not available"))
        #expect(t.failure("local x = undefined_name; return x") == "")  // ordinary globals still read as nil
    }

    @Test("seeded generators are reproducible")
    func random() throws {
        let t = try TestHost()
        let r = try t.run("local a, b = aiotwin.random(5), aiotwin.random(5); local s = 0; for i = 1, 50 do if a:int(1, 6) ~= b:int(1, 6) then s = s + 1 end end; local x = aiotwin.random(6):int(1, 1000000); return s, aiotwin.random(5):int(1, 1000000) ~= x")
        #expect(r == [.integer(0), .boolean(true)])
    }

    @Test("Random's methods: ranges, defaults, types, and errors at the caller's line")
    func randomMethods() throws {
        let t = try TestHost()
        let r = try t.run("""
            local g = aiotwin.random(3)
            local lo, hi, ints = 10, 0, true
            for i = 1, 200 do
              local k = g:int(3, 5); lo = math.min(lo, k); hi = math.max(hi, k)
              ints = ints and math.type(k) == "integer"
            end
            local u = g:uniform(); local v = g:uniform(2, 4); local n = g:normal(100, 0)
            return lo, hi, ints, u >= 0 and u < 1, v >= 2 and v < 4, n
            """)
        #expect(r == [.integer(3), .integer(5), .boolean(true), .boolean(true), .boolean(true), .number(100)])
        #expect(t.failure("local g = aiotwin.random(1)\nreturn g:int(5, 1)").contains(":2: bad argument #2 to 'Random:int' (empty range 5..1)"))
        #expect(t.failure("return aiotwin.random(1):int('a', 2)").contains("bad argument #1 to 'Random:int' (number expected"))
        #expect(t.failure("return aiotwin.random(1).int(nil, 1, 2)").contains("calling 'Random:int' on bad self (Random expected, got nil)"))
    }

    @Test("Random's int and uniform (C) draw exactly what SeededGenerator draws from the same seed")
    func randomMatchesSeededGenerator() throws {
        // Bounds from 1 to 2^62 (Lemire's rejection is taken for large ones), then uniforms.
        let bounds = [1, 2, 3, 6, 7, 10, 1000, 1 << 20, (1 << 62) + 12345, 1 << 62, 3 << 61]
        let t = try TestHost()
        let lua = try t.run("""
            local g = aiotwin.random(42)
            local out = {}
            for _, b in ipairs({\(bounds.map(String.init).joined(separator: ", "))}) do
              for _ = 1, 20 do out[#out + 1] = g:int(-5, b - 6) end
            end
            for _ = 1, 20 do out[#out + 1] = g:uniform() end
            for _ = 1, 20 do out[#out + 1] = g:uniform(-2, 3) end
            return out
            """)
        var g = SeededGenerator(seed: 42, label: "lua")
        var expected: [LuaValue] = []
        for b in bounds { for _ in 0..<20 { expected.append(.integer(Int64(-5 + g.int(below: b)))) } }
        for _ in 0..<20 { expected.append(.number(g.uniform())) }
        for _ in 0..<20 { expected.append(.number(-2 + 5 * g.uniform())) }
        #expect(lua == [.table(LuaTable(array: expected))])
        // The whole integer range is one draw of 64 bits (it used to overflow).
        #expect(try t.run("return math.type(aiotwin.random(1):int(math.mininteger, math.maxinteger))") == [.string("integer")])
        #expect(t.failure("return aiotwin.random(1):int(1.5, 2)").contains("bad argument #1 to 'Random:int' (number has no integer representation)"))
        #expect(t.failure("return aiotwin.random(1):uniform('x')").contains("bad argument #1 to 'Random:uniform' (number expected, got string)"))
    }
}
