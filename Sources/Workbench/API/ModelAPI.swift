import Foundation
import Learning
import Scripting

// aiotwin.model.*, Model methods, aiotwin.train and aiotwin.evaluate.

extension ScriptHost {
    func modelValue(_ m: Model) -> LuaValue { .userdata(LuaHandle(ModelHandle(m), type: types.model)) }

    /// The input shape and class count for a built-in model: from `data = Dataset`, or `input`
    /// and `classes`, or Fashion-MNIST's.
    private func shape(_ o: LuaOptions, _ args: LuaArguments) throws -> (input: [Int], classes: Int) {
        if o.has("data") {
            guard let h = o.table["data"].handleValue?.object(as: DatasetHandle.self) else {
                throw WorkbenchError.invalidInput("\(o.context): option 'data' must be a Dataset")
            }
            return (h.dataset.sampleShape, h.dataset.classCount)
        }
        return (try o.ints("input") ?? [1, 28, 28], try o.int("classes", default: 10, range: 1...100_000))
    }

    private func builtIn(_ name: String) -> LuaHostFunction {
        { [unowned self] args in
            let o = try LuaOptions(args, at: 1)
            try o.allowOnly(["input", "classes", "data", "seed", "hidden"])
            let (input, classes) = try shape(o, args)
            var spec = try ModelZoo.spec(named: name, input: input, classes: classes)
            if name == "mlp", let hidden = try o.ints("hidden") { spec = ModelZoo.mlp(input: input, classes: classes, hidden: hidden) }
            return [modelValue(try Model(spec: spec, seed: try o.seed(default: configuration.seed)))]
        }
    }

    /// Training options from a Lua table.
    func trainingOptions(_ o: LuaOptions) throws -> (TrainingOptions, LearningRateSchedule) {
        try o.allowOnly(["epochs", "batch_size", "lr", "optimizer", "momentum", "weight_decay", "nesterov", "schedule",
                         "seed", "indices", "shuffle"])
        let optimizer = try o.string("optimizer", default: "sgd")
        let lr = Float(try o.double("lr", default: optimizer == "adam" ? 0.001 : 0.01))
        let config: OptimizerConfig
        switch optimizer {
        case "sgd": config = .sgd(learningRate: lr, momentum: Float(try o.double("momentum", default: 0)),
                                  weightDecay: Float(try o.double("weight_decay", default: 0)), nesterov: try o.bool("nesterov", default: false))
        case "adam": config = .adam(learningRate: lr, weightDecay: Float(try o.double("weight_decay", default: 0)))
        default: throw WorkbenchError.invalidInput("\(o.context): option 'optimizer' must be \"sgd\" or \"adam\", got \"\(optimizer)\"")
        }
        let shuffleName = try o.string("shuffle", default: "epoch")
        let shuffle: TrainingOptions.Shuffle
        switch shuffleName {
        case "epoch": shuffle = .everyEpoch
        case "once": shuffle = .once
        case "none": shuffle = .none
        default: throw WorkbenchError.invalidInput("\(o.context): option 'shuffle' must be \"epoch\", \"once\" or \"none\"")
        }
        guard let schedule = LearningRateSchedule(rawValue: try o.string("schedule", default: "constant")) else {
            throw WorkbenchError.invalidInput("\(o.context): option 'schedule' must be constant, cosine or step")
        }
        let options = TrainingOptions(epochs: try o.int("epochs", default: 1, range: 0...100_000),
                                      batchSize: try o.int("batch_size", default: 32, range: 1...65_536),
                                      optimizer: config, seed: try o.seed(default: configuration.seed), shuffle: shuffle)
        try options.validate()
        return (options, schedule)
    }

    /// `model:train(dataset, opts)`: trains in place, returns the last epoch's statistics.
    private func train(_ args: LuaArguments, modelAt m: Int) throws -> [LuaValue] {
        let handle = try args.handle(at: m, as: ModelHandle.self)
        let data = try args.handle(at: m + 1, as: DatasetHandle.self).dataset
        let o = try LuaOptions(args, at: m + 2)
        let (options, schedule) = try trainingOptions(o)
        var order: [Int]
        if let h = o.table["indices"].handleValue?.object(as: IndicesHandle.self) { order = h.indices }
        else if o.has("indices") { throw WorkbenchError.invalidInput("\(o.context): option 'indices' must be Indices (partition:client(i))") }
        else { order = Array(0..<data.count) }
        let trainer = self.trainer(for: handle.model.architecture)
        try trainer.checkCompatible(data)
        let optimizer = options.optimizer.make(parameterCount: handle.model.parameterCount)
        var rng = SeededGenerator(seed: options.seed, label: "shuffle")
        var last: EpochResult?
        var seconds = 0.0
        for epoch in 0..<options.epochs {
            if options.shuffle == .everyEpoch || (options.shuffle == .once && epoch == 0) { rng.shuffle(&order) }
            optimizer.learningRate = schedule.rate(base: options.optimizer.learningRate, epoch: epoch, epochs: options.epochs)
            let r = trainer.trainEpoch(&handle.model, data: data, order: order, batchSize: options.batchSize,
                                       optimizer: optimizer, epoch: epoch, epochs: options.epochs)
            guard r.meanLoss.isFinite else {
                throw WorkbenchError.invalidInput("\(o.context): training diverged in epoch \(epoch + 1) (loss \(r.meanLoss)); lower 'lr'")
            }
            seconds += r.seconds
            last = r
        }
        var t = LuaTable()
        t["epochs"] = .integer(Int64(options.epochs))
        t["samples"] = .integer(Int64(order.count * options.epochs))
        t["loss"] = last.map { .number($0.meanLoss) } ?? .nil
        t["accuracy"] = last.map { .number($0.accuracy) } ?? .nil
        t["seconds"] = .number(seconds)
        t["samples_per_s"] = .number(seconds > 0 ? Double(order.count * options.epochs) / seconds : 0)
        return [.table(t)]
    }

    /// `model:evaluate(dataset [, indices])` → `{accuracy, loss, count}`.
    private func evaluate(_ args: LuaArguments, modelAt m: Int) throws -> [LuaValue] {
        let model = try args.handle(at: m, as: ModelHandle.self).model
        let data = try args.handle(at: m + 1, as: DatasetHandle.self).dataset
        let idx = try indices(args, at: m + 2, count: data.count)
        let e = try trainer(for: model.architecture).evaluate(model, data: data, indices: idx)
        return [LuaValue(["accuracy": .number(e.accuracy), "loss": .number(e.meanLoss), "count": .integer(Int64(e.count))])]
    }

    func registerModelAPI() {
        lua.register(module: "aiotwin", functions: [
            "model.cnn": builtIn("cnn"),
            "model.lenet5": builtIn("lenet5"),
            "model.mlp": builtIn("mlp"),
            "model.define": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(["name", "input", "layers", "seed"])
                guard let input = try o.ints("input") else { throw WorkbenchError.invalidInput("aiotwin.model.define: option 'input' (e.g. {1, 28, 28}) is required") }
                guard let layers = o.table["layers"].tableValue, !layers.array.isEmpty else {
                    throw WorkbenchError.invalidInput("aiotwin.model.define: option 'layers' must be a list of layer tables")
                }
                // Layers are decoded by the same Codable spec as JSON files, so both read alike.
                let json = "{\"name\":\(LuaJSON.text(.string(try o.string("name", default: "model")))),\"input\":\(LuaJSON.text(LuaValue(input.map { LuaValue($0) }))),\"layers\":\(LuaJSON.text(.table(layers)))}"
                let spec: ModelSpec
                do { spec = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8)) } catch let DecodingError.dataCorrupted(c) {
                    throw WorkbenchError.invalidInput("aiotwin.model.define: \(c.debugDescription)")
                } catch {
                    throw WorkbenchError.invalidInput("aiotwin.model.define: each layer needs 'type' and its sizes (\(error))")
                }
                return [modelValue(try Model(spec: spec, seed: try o.seed(default: configuration.seed)))]
            },
            "train": { [unowned self] args in try train(args, modelAt: 1) },
            "evaluate": { [unowned self] args in try evaluate(args, modelAt: 1) },
        ])
    }

    func registerModelType() -> LuaHandleType {
        func model(_ args: LuaArguments) throws -> Model { try args.handle(at: 1, as: ModelHandle.self).model }
        return lua.registerType(name: "Model", methods: [
            "train": { [unowned self] args in try train(args, modelAt: 1) },
            "evaluate": { [unowned self] args in try evaluate(args, modelAt: 1) },
            "parameters": { args in [.integer(Int64(try model(args).parameterCount))] },
            "copy": { [unowned self] args in [modelValue(try model(args))] },
            "names": { args in [LuaValue(try model(args).architecture.layout.entries.map { LuaValue($0.name) })] },
            "spec": { args in
                let spec = try model(args).spec
                return [LuaJSON.value(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(spec)))]
            },
            "summary": { args in
                let m = try model(args)
                var lines = ["\(m.spec.name): \(m.parameterCount) parameters, input \(Shape.describe(m.spec.input))"]
                for l in m.architecture.layers {
                    lines.append("  \(l.spec.kind.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Shape.describe(l.inputShape)) -> \(Shape.describe(l.outputShape))" + (l.parameterName.map { "  (\($0))" } ?? ""))
                }
                return [.string(lines.joined(separator: "\n"))]
            },
            "__tostring": { args in
                let m = try model(args)
                return [.string("Model(\(m.spec.name), \(m.parameterCount) parameters)")]
            },
        ])
    }
}
