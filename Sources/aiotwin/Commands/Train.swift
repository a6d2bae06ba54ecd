import ArgumentParser
import Foundation
import Learning
import Storage

/// `aiotwin train`: centralised training of one model on one data set.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model centrally and report its test accuracy.",
        discussion: """
            Defaults train the seed's pilot CNN on Fashion-MNIST (Debian's dataset-fashion-mnist)
            with SGD (lr 0.02, momentum 0.9, cosine schedule), batch 32, for 5 epochs: 91.6%
            test accuracy (seed 1).
            Results are identical for the same seed and thread count.
            """)

    @OptionGroup var data: DataOptions
    @OptionGroup var threading: ThreadOptions

    @Option(help: "Model: \(ModelZoo.names.joined(separator: ", ")).")
    var model = "cnn"

    @Option(help: "Passes over the training data.")
    var epochs = 5

    @Option(help: "Samples per optimisation step.")
    var batchSize = 32

    @Option(help: "Optimiser: sgd or adam.")
    var optimizer = "sgd"

    @Option(name: [.customLong("lr"), .customLong("learning-rate")], help: "Learning rate (default 0.02 for SGD, 0.001 for Adam).")
    var learningRate: Float?

    @Option(help: "Learning-rate schedule over the epochs: constant, cosine or step.")
    var schedule: String = "cosine"

    @Option(help: "SGD momentum.")
    var momentum: Float = 0.9

    @Option(help: "L2 weight decay.")
    var weightDecay: Float = 0

    @Option(help: "Seed of initialisation and shuffling.")
    var seed: UInt64 = 1

    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Write a run file (HDF5): per-epoch metrics in table `global` and the final model as snapshot `final`.", valueName: "file.h5"))
    var out: String?

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, found \(epochs)") }
        guard (1...65_536).contains(batchSize) else { throw ValidationError("--batch-size must be in 1...65536, found \(batchSize)") }
        guard ["sgd", "adam"].contains(optimizer) else { throw ValidationError("--optimizer must be sgd or adam, found '\(optimizer)'") }
        guard LearningRateSchedule(rawValue: schedule) != nil else {
            throw ValidationError("--schedule must be one of \(LearningRateSchedule.allCases.map(\.rawValue).joined(separator: ", ")), found '\(schedule)'")
        }
    }

    func optimizerConfig() -> OptimizerConfig {
        optimizer == "adam"
            ? .adam(learningRate: learningRate ?? 0.001, weightDecay: weightDecay)
            : .sgd(learningRate: learningRate ?? 0.02, momentum: momentum, weightDecay: weightDecay)
    }

    func run() throws {
        let split = try data.load(seed: seed)
        let spec = try ModelZoo.spec(named: model, input: split.train.sampleShape, classes: split.train.classCount)
        var net = try Model(spec: spec, seed: seed)
        let trainer = Trainer(architecture: net.architecture, threads: threading.threads)
        let options = TrainingOptions(epochs: 1, batchSize: batchSize, optimizer: optimizerConfig(), seed: seed)
        try options.validate()
        log("training \(spec.name) (\(net.parameterCount) parameters) on \(split.train.name): \(split.train.count) training, \(split.test.count) test samples; \(threading.threads) threads, OpenBLAS \(BLASRuntime.coreName)")

        // One optimiser for the whole run; the shuffle stream continues across epochs.
        let optimizerState = options.optimizer.make(parameterCount: net.parameterCount)
        let run = try out.map { try openRunFile($0, spec: spec, data: split) }
        let table = try run?.metrics("global", columns: [
            ColumnSpec("round", .int64), ColumnSpec("time_s", .float64), ColumnSpec("accuracy", .float64),
            ColumnSpec("loss", .float64), ColumnSpec("train_loss", .float64), ColumnSpec("train_accuracy", .float64)])
        var elapsed = 0.0
        var order = Array(0..<split.train.count)
        var rng = SeededGenerator(seed: seed, label: "shuffle")
        var epochs: [[String: Double]] = []
        var final = Evaluation(count: 0, meanLoss: .nan, accuracy: .nan)
        let lrSchedule = LearningRateSchedule(rawValue: schedule) ?? .constant
        for epoch in 0..<self.epochs {
            rng.shuffle(&order)
            optimizerState.learningRate = lrSchedule.rate(base: options.optimizer.learningRate, epoch: epoch, epochs: self.epochs)
            let bar = ProgressBar(label: "epoch \(epoch + 1)/\(self.epochs)", total: order.count)
            let result = trainer.trainEpoch(&net, data: split.train, order: order, batchSize: batchSize,
                                            optimizer: optimizerState, epoch: epoch, epochs: self.epochs) { p in
                bar.update(p.samplesDone, detail: String(format: "loss %.4f", p.meanLoss))
            }
            bar.finish()
            guard result.meanLoss.isFinite else {
                let message = "training diverged in epoch \(epoch + 1) (loss is \(result.meanLoss)); lower --lr"
                try? run?.finish(status: .failed(message))
                throw LearningError.invalidArgument(message)
            }
            final = try trainer.evaluate(net, data: split.test)
            elapsed += result.seconds
            try table?.append([.int64(Int64(epoch + 1)), .float64(elapsed), .float64(final.accuracy), .float64(final.meanLoss),
                               .float64(result.meanLoss), .float64(result.accuracy)])
            try run?.flush()
            log(String(format: "epoch %d/%d: train loss %.4f, train accuracy %.2f%%, test loss %.4f, test accuracy %.2f%% (%.1f s, %.0f samples/s)",
                       epoch + 1, self.epochs, result.meanLoss, 100 * result.accuracy, final.meanLoss,
                       100 * final.accuracy, result.seconds, result.samplesPerSecond))
            epochs.append(["epoch": Double(epoch + 1), "train_loss": result.meanLoss, "train_accuracy": result.accuracy,
                           "test_loss": final.meanLoss, "test_accuracy": final.accuracy,
                           "seconds": result.seconds, "samples_per_s": result.samplesPerSecond])
        }
        if let run {
            try run.writeSnapshot(name: "final", model: net, attributes: ["round": .int64(Int64(self.epochs))])
            try run.finish(status: .completed)
            log("wrote \(run.path)")
        }
        if json {
            let object: [String: Any] = ["model": spec.name, "dataset": split.train.name, "parameters": net.parameterCount,
                                         "test_accuracy": final.accuracy, "test_loss": final.meanLoss, "epochs": epochs,
                                         "seed": seed, "threads": threading.threads, "blas_core": BLASRuntime.coreName]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "test accuracy: %.2f%% (loss %.4f) after %d epoch%@", 100 * final.accuracy, final.meanLoss, self.epochs, self.epochs == 1 ? "" : "s"))
        }
    }

    /// Creates the run file with the command line, seed and resolved configuration.
    private func openRunFile(_ path: String, spec: ModelSpec, data: DataSplit) throws -> RunFile {
        let run = try RunFile.create(path: path, metadata: RunMetadata(
            aiotwinVersion: AIoTwin.version, seed: Int64(bitPattern: seed),
            command: CommandLine.arguments.joined(separator: " "), script: "",
            host: ProcessInfo.processInfo.hostName, extra: ["name": URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent]))
        let config: [String: Any] = ["kind": "centralised", "model": spec.name, "dataset": data.train.name,
                                     "train_samples": data.train.count, "test_samples": data.test.count,
                                     "epochs": epochs, "batch_size": batchSize, "optimizer": optimizer,
                                     "learning_rate": Double("\(optimizerConfig().learningRate)") ?? 0, "momentum": Double("\(momentum)") ?? 0,
                                     "weight_decay": Double("\(weightDecay)") ?? 0, "schedule": schedule, "threads": threading.threads]
        let json = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        try run.setConfiguration(json: String(decoding: json, as: UTF8.self))
        return run
    }

    private func log(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }
}
