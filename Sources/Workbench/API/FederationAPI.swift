import Federation
import Foundation
import Learning
import Scripting
import Storage

// aiotwin.fl.*: federated learning, flat or hierarchical, with failures, costs and resume.

extension ScriptHost {
    func registerFederationAPI() {
        lua.register(module: "aiotwin", functions: [
            "fl.topology": { args in [.table(try Self.buildTopology(LuaOptions(args, at: 1)))] },
            "fl.run": { [unowned self] args in try runFederation(LuaOptions(args, at: 1)) },
        ])
    }

    /// `aiotwin.fl.topology{ clients = 20, aggregators = 2, … }` → a topology table to edit or pass on.
    static func buildTopology(_ o: LuaOptions) throws -> LuaTable {
        try o.allowOnly(["clients", "aggregators", "rounds", "epochs", "local_rounds", "failure", "client_cost",
                         "aggregator_cost", "aggregation", "local_aggregation", "assign", "speed", "bandwidth"])
        let n = try o.int("clients", default: 10, range: 1...100_000)
        let k = try o.int("aggregators", default: 0, range: 0...n)
        let assign = try o.string("assign", default: "blocks")
        guard ["blocks", "round_robin"].contains(assign) else {
            throw WorkbenchError.invalidInput("aiotwin.fl.topology: option 'assign' must be \"blocks\" or \"round_robin\"")
        }
        var failures: [String: Double] = [:]
        var uniformFailure = 0.0
        switch o.table["failure"] {
        case .nil: break
        case let v where v.doubleValue != nil: uniformFailure = v.doubleValue ?? 0
        case let .table(t):
            for (key, value) in t.hash {
                guard let id = key.stringValue, let p = value.doubleValue else {
                    throw WorkbenchError.invalidInput("aiotwin.fl.topology: option 'failure' maps client ids to probabilities, e.g. { c3 = 0.6 }")
                }
                failures[id] = p
            }
        case let other: throw o.fail("failure", "a probability or a table of client id → probability", other)
        }
        var global = LuaTable()
        global["id"] = "ga"
        global["rounds"] = .integer(Int64(try o.int("rounds", default: 10, range: 1...1_000_000)))
        global["aggregation"] = .string(try o.string("aggregation", default: "fedavg"))
        var aggregators = LuaTable()
        for j in 1...max(k, 1) where k > 0 {
            var a = LuaTable()
            a["id"] = .string("la\(j)")
            a["local_rounds"] = .integer(Int64(try o.int("local_rounds", default: 1, range: 1...100_000)))
            a["cost"] = .number(try o.double("aggregator_cost", default: 0))
            a["aggregation"] = .string(try o.string("local_aggregation", default: "fedavg"))
            aggregators.array.append(.table(a))
        }
        var clients = LuaTable()
        for i in 1...n {
            var c = LuaTable()
            let id = "c\(i)"
            c["id"] = .string(id)
            let parent = k == 0 ? "ga" : "la\(assign == "blocks" ? (i - 1) * k / n + 1 : (i - 1) % k + 1)"
            c["parent"] = .string(parent)
            c["epochs"] = .integer(Int64(try o.int("epochs", default: 1, range: 1...100_000)))
            c["failure"] = .number(failures[id] ?? uniformFailure)
            c["cost"] = .number(try o.double("client_cost", default: 0))
            if let s = try o.double("speed") { c["speed"] = .number(s) }
            if let b = try o.double("bandwidth") { c["bandwidth"] = .number(b) }
            clients.array.append(.table(c))
        }
        if let unknown = failures.keys.first(where: { id in !(1...n).contains { "c\($0)" == id } }) {
            throw WorkbenchError.invalidInput("aiotwin.fl.topology: option 'failure' names '\(unknown)', which is not a client (c1..c\(n))")
        }
        var t = LuaTable()
        t["global"] = .table(global)
        t["aggregators"] = .table(aggregators)
        t["clients"] = .table(clients)
        return t
    }

    /// A `Topology` from its Lua table form; errors name the node and field.
    static func topology(_ value: LuaValue, context: String) throws -> (Topology, classCounts: [String: String]) {
        guard let t = value.tableValue else { throw WorkbenchError.invalidInput("\(context): option 'topology' must be a table (see aiotwin.fl.topology)") }
        let g = LuaOptions(t["global"].tableValue ?? LuaTable(), context: "\(context) topology.global")
        try g.allowOnly(["id", "rounds", "aggregation"])
        let global = Topology.Global(id: try g.string("id", default: "ga"), rounds: try g.int("rounds", default: 10),
                                     aggregation: try AggregationConfig(parsing: try g.string("aggregation", default: "fedavg")))
        var aggregators: [Topology.Aggregator] = []
        for (i, v) in (t["aggregators"].tableValue?.array ?? []).enumerated() {
            let a = LuaOptions(v.tableValue ?? LuaTable(), context: "\(context) topology.aggregators[\(i + 1)]")
            try a.allowOnly(["id", "local_rounds", "cost", "bandwidth", "aggregation"])
            guard let id = try a.string("id") else { throw WorkbenchError.invalidInput("\(a.context): 'id' is required") }
            aggregators.append(.init(id: id, localRounds: try a.int("local_rounds", default: 1), cost: try a.double("cost", default: 0),
                                     bandwidth: try a.double("bandwidth")))
            aggregators[aggregators.count - 1].aggregation = try AggregationConfig(parsing: try a.string("aggregation", default: "fedavg"))
        }
        var clients: [Topology.Client] = []
        var classCounts: [String: String] = [:]
        for (i, v) in (t["clients"].tableValue?.array ?? []).enumerated() {
            let c = LuaOptions(v.tableValue ?? LuaTable(), context: "\(context) topology.clients[\(i + 1)]")
            try c.allowOnly(["id", "parent", "epochs", "failure", "cost", "speed", "bandwidth", "data"])
            guard let id = try c.string("id") else { throw WorkbenchError.invalidInput("\(c.context): 'id' is required") }
            guard let parent = try c.string("parent") else { throw WorkbenchError.invalidInput("\(c.context): client \(id) has no 'parent'") }
            clients.append(.init(id: id, parent: parent, epochs: try c.int("epochs", default: 1), failureProbability: try c.double("failure", default: 0),
                                 cost: try c.double("cost", default: 0), speed: try c.double("speed"), bandwidth: try c.double("bandwidth")))
            if let d = try c.string("data") { classCounts[id] = d }
        }
        return (try Topology(global: global, aggregators: aggregators, clients: clients).validated(), classCounts)
    }

    /// `aiotwin.fl.run{ … }`.
    func runFederation(_ o: LuaOptions) throws -> [LuaValue] {
        try o.allowOnly(["data", "model", "topology", "partition", "rounds", "batch_size", "lr", "optimizer", "momentum",
                         "weight_decay", "mu", "shuffle", "stop", "model_size_mb", "checkpoint_every", "evaluate_aggregators", "evaluate_clients",
                         "client_parallelism", "seed", "weighting", "run", "resume", "progress"])
        guard let split = o.table["data"].tableValue,
              let train = split["train"].handleValue?.object(as: DatasetHandle.self)?.dataset,
              let test = split["test"].handleValue?.object(as: DatasetHandle.self)?.dataset else {
            throw WorkbenchError.invalidInput("\(o.context): option 'data' must be a data set pair { train = Dataset, test = Dataset } (aiotwin.data.load)")
        }
        guard let modelHandle = o.table["model"].handleValue?.object(as: ModelHandle.self) else {
            throw WorkbenchError.invalidInput("\(o.context): option 'model' must be a Model (e.g. aiotwin.model.cnn{ data = data.train })")
        }
        var (topology, classCounts) = try Self.topology(o.table["topology"], context: o.context)
        if let rounds = try o.int("rounds") { topology.global.rounds = rounds }
        topology = try topology.validated()
        let seed = try o.seed(default: configuration.seed)

        // Partitions in the topology's client order.
        let partitions: [[Int]]
        if let handle = o.table["partition"].handleValue?.object(as: PartitionHandle.self) {
            guard handle.partition.clients.count == topology.clients.count else {
                throw WorkbenchError.invalidInput("\(o.context): the partition has \(handle.partition.clients.count) clients, the topology \(topology.clients.count)")
            }
            partitions = handle.partition.clients
        } else if let list = o.table["partition"].tableValue {
            // A list of Indices, one per client in the topology's client order.
            partitions = try list.array.enumerated().map { i, v in
                guard let h = v.handleValue?.object(as: IndicesHandle.self) else {
                    throw WorkbenchError.invalidInput("\(o.context): partition[\(i + 1)] must be Indices (partition:client(i))")
                }
                return h.indices
            }
            guard partitions.count == topology.clients.count else {
                throw WorkbenchError.invalidInput("\(o.context): \(partitions.count) partitions for \(topology.clients.count) clients")
            }
        } else if !classCounts.isEmpty {
            guard classCounts.count == topology.clients.count else {
                throw WorkbenchError.invalidInput("\(o.context): every client needs 'data' class counts when one has them (\(classCounts.count) of \(topology.clients.count))")
            }
            let counts = try topology.clients.map { c in
                do { return try PartitionScheme.parseClassCounts(classCounts[c.id] ?? "") } catch {
                    throw WorkbenchError.invalidInput("\(o.context): client \(c.id): data '\(classCounts[c.id] ?? "")': \(error)")
                }
            }
            do {
                partitions = try PartitionScheme.classCounts(counts).partition(labels: train.labels, classCount: train.classCount,
                                                                               clients: topology.clients.count, seed: seed).clients
            } catch let LearningError.invalidPartition(message) {
                // The partitioner numbers clients from 1 in topology order; name them by id.
                var text = message
                if let range = text.range(of: #"client \d+"#, options: .regularExpression),
                   let n = Int(text[range].dropFirst(7)), n >= 1, n <= topology.clients.count {
                    text.replaceSubrange(range, with: "client \(topology.clients[n - 1].id)")
                }
                throw WorkbenchError.invalidInput("\(o.context): the clients' data cannot be met: \(text)")
            }
        } else {
            let scheme = try PartitionScheme(parsing: try o.string("partition", default: "iid"))
            let p = try scheme.partition(labels: train.labels, classCount: train.classCount, clients: topology.clients.count, seed: seed)
            for w in p.warnings { configuration.print("warning: \(w)") }
            partitions = p.clients
        }

        let optimizerName = try o.string("optimizer", default: "sgd")
        let lr = Float(try o.double("lr", default: optimizerName == "adam" ? 0.001 : 0.01))
        let optimizer: OptimizerConfig
        switch optimizerName {
        case "sgd": optimizer = .sgd(learningRate: lr, momentum: Float(try o.double("momentum", default: 0.9)), weightDecay: Float(try o.double("weight_decay", default: 0)))
        case "adam": optimizer = .adam(learningRate: lr, weightDecay: Float(try o.double("weight_decay", default: 0)))
        default: throw WorkbenchError.invalidInput("\(o.context): option 'optimizer' must be \"sgd\" or \"adam\"")
        }
        let stopTable = LuaOptions(o.table["stop"].tableValue ?? LuaTable(), context: "\(o.context) stop")
        try stopTable.allowOnly(["accuracy", "loss", "cost", "time"])
        let shuffleName = try o.string("shuffle", default: "epoch")
        guard let shuffle = ["epoch": TrainingOptions.Shuffle.everyEpoch, "once": .once, "none": .none][shuffleName] else {
            throw WorkbenchError.invalidInput("\(o.context): option 'shuffle' must be \"epoch\", \"once\" or \"none\"")
        }
        let settings = FederationSettings(
            topology: topology,
            training: ClientTraining(batchSize: try o.int("batch_size", default: 32, range: 1...65_536), optimizer: optimizer,
                                     mu: Float(try o.double("mu", default: 0)), shuffle: shuffle),
            stop: StopCriteria(accuracy: try stopTable.double("accuracy"), loss: try stopTable.double("loss"),
                               costBudget: try stopTable.double("cost"), simulatedTime: try stopTable.double("time")),
            modelSizeMB: try o.double("model_size_mb"), checkpointEvery: try o.int("checkpoint_every", default: 0, range: 0...1_000_000),
            seed: seed, evaluateAggregators: try o.bool("evaluate_aggregators", default: false),
            clientParallelism: try o.int("client_parallelism", default: configuration.threads, range: 1...64), threads: configuration.threads)
        var settingsWithClients = settings
        settingsWithClients.evaluateClients = try o.bool("evaluate_clients", default: false)
        let engine = try FederatedTraining(settings: settingsWithClients, data: DataSplit(train: train, test: test), partitions: partitions,
                                           initialModel: modelHandle.model)
        if case let .function(f) = o.table["weighting"] {
            engine.weighting = { round, aggregator, updates in
                let list = LuaValue(updates.map { u in
                    LuaValue(["client": .string(u.client), "samples": .integer(Int64(u.samples)), "train_loss": .number(u.trainLoss),
                              "distance": .number(u.distance)])
                })
                let result = try f.call([.integer(Int64(round)), .string(aggregator), list])
                guard let weights = result.first?.tableValue else {
                    throw WorkbenchError.invalidInput("\(o.context): 'weighting' must return a list of weights (nil rejects an update)")
                }
                return (1...max(updates.count, 1)).prefix(updates.count).map { weights[$0].doubleValue }
            }
        }

        // Where it is recorded: a Run given, else the script's own run.
        let recorder: RunRecorder
        if let h = o.table["run"].handleValue?.object(as: RunHandle.self) { recorder = h.recorder }
        else if case let .userdata(h) = try lua.global("aiotwin")["run"], let run = h.object(as: RunHandle.self) { recorder = run.recorder }
        else { throw WorkbenchError.invalidInput("\(o.context): no run to record into; pass run = aiotwin.runs.create{ name = … }") }
        let resumePath = try o.string("resume").map { try configuration.policy.check($0, for: "resume") } ?? resumeSource
        var checkpoint: FederationCheckpoint?
        var wallOffset = 0.0
        if let resumePath {
            (checkpoint, wallOffset) = try FederationRecorder.latestCheckpoint(in: resumePath, architecture: modelHandle.model.architecture)
        }
        let simulated = topology.clients.contains { $0.speed != nil || $0.bandwidth != nil } || topology.aggregators.contains { $0.bandwidth != nil }
        let observer = try FederationRecorder(file: recorder.file, architecture: modelHandle.model.architecture, simulatedTime: simulated,
                                              rounds: topology.global.rounds, wallOffset: wallOffset,
                                              progress: try o.bool("progress", default: true) ? configuration.print : nil)
        if let checkpoint, let resumePath {
            try observer.copyHistory(from: resumePath, upTo: checkpoint.round)
            try recorder.file.logEvent(round: Int64(checkpoint.round), time: recorder.elapsed, kind: "resumed",
                                       detail: LuaJSON.text(LuaValue(["from": .string(resumePath), "round": .integer(Int64(checkpoint.round))])))
        } else {
            try recorder.file.logEvent(round: 0, time: 0, kind: "federation", detail: LuaJSON.text(LuaValue([
                "clients": .integer(Int64(topology.clients.count)), "aggregators": .integer(Int64(topology.aggregators.count)),
                "rounds": .integer(Int64(topology.global.rounds)), "aggregation": .string(topology.global.aggregation.description),
                "model_size_mb": .number(engine.modelSizeMB), "seed": .integer(Int64(bitPattern: seed))])))
        }
        let outcome = try engine.run(resumingFrom: checkpoint, observer: observer)
        try recorder.file.logEvent(round: Int64(outcome.rounds), time: recorder.elapsed, kind: "stopped",
                                   detail: LuaJSON.text(LuaValue(["reason": .string(outcome.reason.rawValue)])))
        try recorder.file.flush()
        modelHandle.model = engine.model
        return [LuaValue(["rounds": .integer(Int64(outcome.rounds)), "accuracy": .number(outcome.accuracy), "loss": .number(outcome.loss),
                          "cost": .number(outcome.costTotal), "time": .number(outcome.simulatedTotal),
                          "stopped_by": .string(outcome.reason.rawValue), "model_size_mb": .number(engine.modelSizeMB)])]
    }
}

extension FederationError: LuaRaisableError {
    public var luaMessage: String { description }
}
