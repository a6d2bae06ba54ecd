import Testing
@testable import Learning

@Suite("Training")
struct TrainerTests {
    static let data = try! SyntheticDataset.make(classes: 4, shape: [1, 12, 12], trainCount: 800, testCount: 200, seed: 3)
    static let spec = ModelSpec(name: "small", input: [1, 12, 12], layers: [
        .conv2d(6, kernel: 3), .relu, .maxPool2d(2), .flatten, .linear(32), .relu, .linear(4),
    ])

    func train(threads: Int, seed: UInt64 = 1, epochs: Int = 2) throws -> (Model, [EpochResult]) {
        var model = try Model(spec: Self.spec, seed: seed)
        let trainer = Trainer(architecture: model.architecture, threads: threads)
        let r = try trainer.train(&model, data: Self.data.train,
                                  options: TrainingOptions(epochs: epochs, batchSize: 16, optimizer: .sgd(learningRate: 0.05, momentum: 0.9), seed: seed))
        return (model, r)
    }

    @Test("training learns the synthetic task")
    func learns() throws {
        let (model, epochs) = try train(threads: 2, epochs: 3)
        #expect(epochs.count == 3)
        #expect(epochs[2].meanLoss < epochs[0].meanLoss)
        let e = try Trainer(architecture: model.architecture, threads: 2).evaluate(model, data: Self.data.test)
        #expect(e.accuracy > 0.9, "test accuracy \(e.accuracy)")
    }

    @Test("results are bit-identical for a fixed seed and thread count", arguments: [1, 2, 3])
    func deterministic(threads: Int) throws {
        let (a, ra) = try train(threads: threads)
        let (b, rb) = try train(threads: threads)
        #expect(a.parameters == b.parameters)
        #expect(ra.map(\.meanLoss) == rb.map(\.meanLoss))
        let (c, _) = try train(threads: threads, seed: 2)
        #expect(c.parameters != a.parameters)
    }

    @Test("thread counts differ only by summation order")
    func threadsAgree() throws {
        let (a, _) = try train(threads: 1, epochs: 1)
        let (b, _) = try train(threads: 2, epochs: 1)
        let maxDiff = zip(a.parameters, b.parameters).map { abs($0 - $1) }.max() ?? 0
        #expect(maxDiff < 1e-3)
    }

    @Test("the last partial batch is trained, as PyTorch's DataLoader does")
    func partialBatch() throws {
        var model = try Model(spec: Self.spec, seed: 1)
        let trainer = Trainer(architecture: model.architecture, threads: 2)
        let before = model.parameters
        let opt = OptimizerConfig.sgd(learningRate: 0.1).make(parameterCount: model.parameterCount)
        let r = trainer.trainEpoch(&model, data: Self.data.train, order: Array(0..<37), batchSize: 16, optimizer: opt)
        #expect(r.samples == 37)
        #expect(model.parameters != before)
    }

    @Test("mismatched data and model are rejected with both shapes")
    func mismatch() throws {
        let model = try Model(spec: ModelZoo.pilotCNN(input: [3, 32, 32]), seed: 1)
        let trainer = Trainer(architecture: model.architecture)
        #expect(throws: LearningError.self) { try trainer.evaluate(model, data: Self.data.test) }
        do { _ = try trainer.evaluate(model, data: Self.data.test) } catch {
            #expect("\(error)".contains("3x32x32") && "\(error)".contains("1x12x12"))
        }
    }

    @Test("benchmark FLOP count of the pilot CNN")
    func flops() throws {
        // conv1: 2·32·25·576, ×2 (forward, weight gradient); conv2: 2·64·800·64, fc1: 2·512·1024,
        // fc2: 2·10·512, each ×3 (forward, weight and input gradients).
        let expected = 2 * 2 * 32 * 25 * 576 + 3 * (2 * 64 * 800 * 64 + 2 * 512 * 1024 + 2 * 10 * 512)
        #expect(try ModelZoo.pilotCNN().resolve().trainingFLOPsPerSample == expected)
    }
}
