import Testing
@testable import Scripting

@Suite("Handles")
struct HandleTests {
    func state() throws -> (LuaState, LuaHandleType, LuaHandleType) {
        let lua = try smallState()
        let model = lua.registerType(name: "Model", methods: [
            "name": { args in [.string(try args.handle(at: 1, as: Model.self).name)] },
            "scale": { args in
                let m = try args.handle(at: 1, as: Model.self)
                let f = try args.number(at: 2)
                m.weights = m.weights.map { $0 * f }
                return []
            },
            "__len": { args in [.integer(Int64(try args.handle(at: 1, as: Model.self).weights.count))] },
        ])
        let dataset = lua.registerType(name: "Dataset", methods: [:])
        lua.register(module: "aiotwin", functions: [
            "fit": { args in
                let m = try args.handle(at: 1, as: Model.self)
                let d = try args.handle(at: 2, as: Dataset.self)
                return [.string("\(m.name) on \(d.size)")]
            },
        ])
        return (lua, model, dataset)
    }

    @Test("A handle round-trips with identity, methods, __len and __tostring")
    func roundTrip() throws {
        let (lua, modelType, datasetType) = try state()
        let m = Model(name: "cnn", weights: [1, 2, 3])
        try lua.setGlobal("m", .userdata(LuaHandle(m, type: modelType)))
        try lua.setGlobal("m2", .userdata(LuaHandle(m, type: modelType)))
        try lua.setGlobal("d", .userdata(LuaHandle(Dataset(size: 100), type: datasetType)))
        let r = try lua.run(source: """
            m:scale(2)
            return m:name(), #m, tostring(m):match('^Model: 0x') ~= nil, m == m2, aiotwin.fit(m, d), getmetatable(m), m
            """)
        #expect(Array(r.prefix(6)) == ["cnn", 3, true, true, "cnn on 100", "Model"])
        #expect(m.weights == [2, 4, 6])
        #expect(r[6].handleValue?.object(as: Model.self) === m)
        #expect(r[6].handleValue?.type == modelType)
        #expect(lua.handleType(named: "Model") == modelType)
        #expect(lua.handleType(named: "NumberArray") == .numberArray)
        #expect(lua.handleType(named: "Nope") == nil)
    }

    @Test("Handle arguments are type-checked")
    func typeCheck() throws {
        let (lua, modelType, datasetType) = try state()
        try lua.setGlobal("m", .userdata(LuaHandle(Model(name: "a"), type: modelType)))
        try lua.setGlobal("d", .userdata(LuaHandle(Dataset(size: 1), type: datasetType)))
        #expect(luaError { try lua.run(source: "aiotwin.fit(d, d)", chunkName: "t.lua") }?.message
                == "t.lua:1: bad argument #1 to 'aiotwin.fit' (Model expected, got Dataset)")
        #expect(luaError { try lua.run(source: "aiotwin.fit(m, {})", chunkName: "t.lua") }?.message
                == "t.lua:1: bad argument #2 to 'aiotwin.fit' (Dataset expected, got table)")
        #expect(luaError { try lua.run(source: "m.scale(d, 2)", chunkName: "t.lua") }?.message
                == "t.lua:1: calling 'Model:scale' on bad self (Model expected, got Dataset)")
        #expect(luaError { try lua.run(source: "m:scale('x')", chunkName: "t.lua") }?.message
                == "t.lua:1: bad argument #1 to 'Model:scale' (number expected, got string)")
        #expect(luaError { try lua.run(source: "setmetatable(m, {})", chunkName: "t.lua") } != nil)
    }

    @Test("__gc releases the Swift object")
    func release() throws {
        let (lua, modelType, _) = try state()
        let counter = DeinitCounter()
        do {
            let m = Model(name: "tmp", counter: counter)
            try lua.setGlobal("m", .userdata(LuaHandle(m, type: modelType)))
        }
        lua.collectGarbage()
        #expect(counter.count == 0)  // Lua still holds it
        try lua.run(source: "m = nil")
        lua.collectGarbage()
        #expect(counter.count == 1)
        // Objects pushed in a loop are all released, and closing the state releases the rest.
        let counter2 = DeinitCounter()
        let f = try lua.load(source: "local keep = ... return keep")
        for i in 0..<100 {
            _ = try f.callValue { args in try args.push(handle: Model(name: "\(i)", counter: counter2), type: modelType) }
        }
        lua.collectGarbage()
        #expect(counter2.count == 100)
        let counter3 = DeinitCounter()
        do {
            let other = try smallState()
            let t = other.registerType(name: "Model", methods: [:])
            try other.setGlobal("kept", .userdata(LuaHandle(Model(name: "k", counter: counter3), type: t)))
        }
        #expect(counter3.count == 1)
    }

    @Test("NumberArray shares memory with Swift")
    func numberArray() throws {
        let lua = try smallState()
        let array = LuaNumberArray([1, 2, 3])
        let f = try lua.load(source: """
            local a = ...
            a[1] = a[1] + 10
            local s = 0
            for i = 1, #a do s = s + a[i] end
            return s
            """)
        #expect(try f.callNumber { $0.push(array) } == 16)
        #expect(array.values == [11, 2, 3])
        let g = try lua.load(source: "local a = ... return a[4]", chunkName: "arr.lua")
        #expect(luaError { try g.callNumber { $0.push(array) } }?.message == "arr.lua:1: NumberArray index 4 out of range (1..3)")
        let h = try lua.load(source: "local a = ... a[1] = 'x'", chunkName: "arr.lua")
        #expect(luaError { try h.invoke { $0.push(array) } }?.message == "arr.lua:1: NumberArray element must be a number, got string")
        #expect(try lua.load(source: "return tostring(...)").callString { $0.push(array) } == "NumberArray(3)")
        lua.register(global: "total") { args in [.number(try args.numberArray(at: 1).values.reduce(0, +))] }
        #expect(try lua.load(source: "return total(...)").callNumber { $0.push(array) } == 16)
    }
}
