import Learning
import Scripting

// aiotwin.data.*: data sets, partitions and index lists.

extension ScriptHost {
    func datasetValue(_ d: ImageDataset) -> LuaValue { .userdata(LuaHandle(DatasetHandle(d), type: types.dataset)) }
    func indicesValue(_ i: [Int]) -> LuaValue { .userdata(LuaHandle(IndicesHandle(i), type: types.indices)) }

    /// `{train = Dataset, test = Dataset, name = …, classes = …}`.
    func splitValue(_ split: DataSplit) -> LuaValue {
        var t = LuaTable()
        t["train"] = datasetValue(split.train)
        t["test"] = datasetValue(split.test)
        t["name"] = .string(split.train.name)
        t["classes"] = .integer(Int64(split.train.classCount))
        return .table(t)
    }

    /// Sample indices from an `Indices` handle, a list of 1-based Lua indices, or nil (all).
    func indices(_ args: LuaArguments, at index: Int, count: Int) throws -> [Int]? {
        if args.isNil(at: index) { return nil }
        if let h = try? args.handle(at: index, as: IndicesHandle.self) { return h.indices }
        let list = try args.numbers(at: index)
        return try list.map { v in
            guard let i = Int(exactly: v), i >= 1, i <= count else {
                throw args.argumentError(index, "indices must be integers in 1..\(count), found \(v)")
            }
            return i - 1
        }
    }

    func registerDataAPI() {
        lua.register(module: "aiotwin", functions: [
            "data.load": { [unowned self] args in
                let name = try args.string(at: 1)
                let o = try LuaOptions(args, at: 2)
                try o.allowOnly(["dir", "train_limit", "test_limit", "seed"])
                let dir = try o.string("dir").map { try configuration.policy.check($0, for: "data directory") }
                var split = try DatasetCatalog.load(name, directory: dir, seed: try o.seed(default: configuration.seed))
                if let n = try o.int("train_limit"), n < split.train.count { split = DataSplit(train: try split.train.subset(Array(0..<max(n, 1))), test: split.test) }
                if let n = try o.int("test_limit"), n < split.test.count { split = DataSplit(train: split.train, test: try split.test.subset(Array(0..<max(n, 1)))) }
                return [splitValue(split)]
            },
            "data.synthetic": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(["classes", "shape", "train", "test", "noise", "seed"])
                let split = try SyntheticDataset.make(
                    classes: try o.int("classes", default: 10, range: 2...1000), shape: try o.ints("shape") ?? [1, 28, 28],
                    trainCount: try o.int("train", default: 6000, range: 0...10_000_000),
                    testCount: try o.int("test", default: 1000, range: 0...10_000_000),
                    noise: try o.double("noise", default: 0.25), seed: try o.seed(default: configuration.seed))
                return [splitValue(split)]
            },
            "data.partition": { [unowned self] args in
                let data = try args.handle(at: 1, as: DatasetHandle.self).dataset
                let o = try LuaOptions(args, at: 2)
                try o.allowOnly(["scheme", "clients", "seed"])
                let scheme = try PartitionScheme(parsing: try o.string("scheme", default: "iid"))
                guard let clients = try o.int("clients") else {
                    throw WorkbenchError.invalidInput("aiotwin.data.partition: option 'clients' is required")
                }
                let p = try scheme.partition(labels: data.labels, classCount: data.classCount, clients: clients,
                                             seed: try o.seed(default: configuration.seed))
                for w in p.warnings { configuration.print("warning: \(w)") }
                return [.userdata(LuaHandle(PartitionHandle(p, of: data), type: types.partition))]
            },
        ])
    }

    func registerDatasetType() -> LuaHandleType {
        lua.registerType(name: "Dataset", methods: [
            "count": { args in [.integer(Int64(try args.handle(at: 1, as: DatasetHandle.self).dataset.count))] },
            "__len": { args in [.integer(Int64(try args.handle(at: 1, as: DatasetHandle.self).dataset.count))] },
            "classes": { args in [.integer(Int64(try args.handle(at: 1, as: DatasetHandle.self).dataset.classCount))] },
            "class_names": { args in [LuaValue(try args.handle(at: 1, as: DatasetHandle.self).dataset.classNames.map { LuaValue($0) })] },
            "name": { args in [.string(try args.handle(at: 1, as: DatasetHandle.self).dataset.name)] },
            "shape": { args in [LuaValue(try args.handle(at: 1, as: DatasetHandle.self).dataset.sampleShape.map { LuaValue($0) })] },
            "histogram": { [unowned self] args in
                let d = try args.handle(at: 1, as: DatasetHandle.self).dataset
                let idx = try indices(args, at: 2, count: d.count)
                return [LuaValue(d.classHistogram(idx).map { LuaValue($0) })]
            },
            "subset": { [unowned self] args in
                let d = try args.handle(at: 1, as: DatasetHandle.self).dataset
                if args.typeName(at: 2) == "number" {
                    let n = try args.integer(at: 2)
                    guard n >= 1 else { throw args.argumentError(2, "the sample count must be positive") }
                    return [datasetValue(try d.subset(Array(0..<min(n, d.count))))]
                }
                guard let idx = try indices(args, at: 2, count: d.count) else { throw args.argumentError(2, "Indices, a list of indices or a count expected") }
                return [datasetValue(try d.subset(idx))]
            },
            "__tostring": { args in
                let d = try args.handle(at: 1, as: DatasetHandle.self).dataset
                return [.string("Dataset(\(d.name), \(d.count) samples of \(Shape.describe(d.sampleShape)), \(d.classCount) classes)")]
            },
        ])
    }

    func registerPartitionType() -> LuaHandleType {
        func partition(_ args: LuaArguments) throws -> PartitionHandle { try args.handle(at: 1, as: PartitionHandle.self) }
        func client(_ args: LuaArguments, _ p: PartitionHandle) throws -> [Int] {
            let i = try args.integer(at: 2)
            guard i >= 1, i <= p.partition.clients.count else {
                throw args.argumentError(2, "client must be in 1..\(p.partition.clients.count), got \(i)")
            }
            return p.partition.clients[i - 1]
        }
        return lua.registerType(name: "Partition", methods: [
            "clients": { args in [.integer(Int64(try partition(args).partition.clients.count))] },
            "__len": { args in [.integer(Int64(try partition(args).partition.clients.count))] },
            "sizes": { args in [LuaValue(try partition(args).partition.sizes.map { LuaValue($0) })] },
            "histograms": { args in
                let p = try partition(args)
                let h = p.partition.classHistograms(labels: p.dataset.labels, classCount: p.dataset.classCount)
                return [LuaValue(h.map { row in LuaValue(row.map { LuaValue($0) }) })]
            },
            "warnings": { args in [LuaValue(try partition(args).partition.warnings.map { LuaValue($0) })] },
            "client": { [unowned self] args in [indicesValue(try client(args, try partition(args)))] },
            "dataset": { [unowned self] args in
                let p = try partition(args)
                // One client, or the union of a list of clients (a cluster).
                if args.typeName(at: 2) == "table" {
                    let members = try args.numbers(at: 2)
                    var all: [Int] = []
                    for m in members {
                        guard let i = Int(exactly: m), i >= 1, i <= p.partition.clients.count else {
                            throw args.argumentError(2, "clients must be in 1..\(p.partition.clients.count), found \(m)")
                        }
                        all += p.partition.clients[i - 1]
                    }
                    return [datasetValue(try p.dataset.subset(all))]
                }
                return [datasetValue(try p.dataset.subset(try client(args, p)))]
            },
        ])
    }

    func registerIndicesType() -> LuaHandleType {
        lua.registerType(name: "Indices", methods: [
            "count": { args in [.integer(Int64(try args.handle(at: 1, as: IndicesHandle.self).indices.count))] },
            "__len": { args in [.integer(Int64(try args.handle(at: 1, as: IndicesHandle.self).indices.count))] },
            "list": { args in [LuaValue(try args.handle(at: 1, as: IndicesHandle.self).indices.map { LuaValue($0 + 1) })] },
        ])
    }
}
