import Testing
@testable import Learning

/// Every layer's backward pass against central finite differences of the loss.
///
/// The models put each layer behind a parameterised one, so the parameter gradients of the first
/// layer pass through every other layer's input gradient: a wrong backward anywhere shows up.
@Suite("Gradient checks")
struct GradientCheckTests {
    static let models: [(String, ModelSpec)] = [
        ("conv stride/padding, relu, maxpool 2x2, flatten, linear",
         ModelSpec(name: "a", input: [3, 8, 8], layers: [
            .conv2d(4, kernel: 3, padding: 1), .relu, .maxPool2d(2),
            .conv2d(5, kernel: 3, stride: 2, padding: 1), .relu, .flatten, .linear(7),
         ])),
        ("maxpool 3x3 stride 2, relu after pooling",
         ModelSpec(name: "b", input: [2, 9, 9], layers: [
            .conv2d(3, kernel: 2), .maxPool2d(3, stride: 2), .relu, .flatten, .linear(6), .relu, .linear(4),
         ])),
        ("mlp", ModelZoo.mlp(input: [1, 6, 6], classes: 5, hidden: [12, 9])),
        ("lenet5 on 1x12x12", ModelSpec(name: "c", input: [1, 12, 12], layers: [
            .conv2d(3, kernel: 3, padding: 1), .relu, .maxPool2d(2), .conv2d(4, kernel: 3), .relu,
            .maxPool2d(2), .flatten, .linear(8), .relu, .linear(3),
         ])),
    ]

    @Test("analytic gradients match finite differences", arguments: 0..<models.count)
    func gradients(_ index: Int) throws {
        let (_, spec) = Self.models[index]
        let model = try Model(spec: spec, seed: 42)
        let classes = model.architecture.classCount
        let data = try TestData.random(shape: spec.input, count: 5, classes: classes, seed: 9)
        let indices = Array(0..<data.count)
        for threads in [1, 2] {
            let trainer = Trainer(architecture: model.architecture, threads: threads)
            let (_, analytic) = try trainer.gradient(of: model, data: data, indices: indices)
            var rng = SeededGenerator(seed: 5)
            var checked = 0, smooth = 0
            for entry in model.architecture.layout.entries {
                // Up to 12 elements per tensor, chosen at random.
                for _ in 0..<min(12, entry.count) {
                    let i = entry.offset + rng.int(below: entry.count)
                    checked += 1
                    let fd = try finiteDifference(trainer: trainer, model: model, data: data, parameter: i)
                    guard fd.smooth else { continue }
                    smooth += 1
                    let a = Double(analytic[i])
                    // 2% relative, plus the float32 noise of a loss difference over 2ε (~1e-4).
                    #expect(abs(a - fd.central) <= 0.02 * max(abs(a), abs(fd.central)) + 1e-4, "\(entry.name)[\(i - entry.offset)]: analytic \(a), numeric \(fd.central)")
                }
            }
            #expect(checked > 20)
            // Kinks (ReLU, max pooling) within ±ε of a few points are expected, not of most.
            #expect(Double(smooth) >= 0.8 * Double(checked), "only \(smooth) of \(checked) points were smooth")
        }
    }

    /// Central difference (L(w + ε) − L(w − ε)) / 2ε of the loss for one parameter, in double
    /// precision on the loss, and whether the loss is smooth there: where a ReLU or a max-pool
    /// switches within ±ε, the left and right differences disagree and the point is skipped.
    func finiteDifference(trainer: Trainer, model: Model, data: ImageDataset, parameter i: Int) throws -> (central: Double, smooth: Bool) {
        let eps: Float = 1e-3
        var plus = model, minus = model
        plus.parameters[i] += eps
        minus.parameters[i] -= eps
        let l0 = try trainer.evaluate(model, data: data).meanLoss
        let lp = try trainer.evaluate(plus, data: data).meanLoss
        let lm = try trainer.evaluate(minus, data: data).meanLoss
        let right = (lp - l0) / Double(eps), left = (l0 - lm) / Double(eps)
        let central = (lp - lm) / Double(2 * eps)
        return (central, abs(right - left) < 0.05 * max(abs(central), 1e-2))
    }

    @Test("the pilot CNN's gradients match finite differences on a few parameters")
    func pilotCNN() throws {
        let spec = ModelZoo.pilotCNN(input: [1, 28, 28])
        let model = try Model(spec: spec, seed: 1)
        let data = try TestData.random(shape: [1, 28, 28], count: 3, seed: 2)
        let trainer = Trainer(architecture: model.architecture, threads: 2)
        let (_, g) = try trainer.gradient(of: model, data: data, indices: [0, 1, 2])
        var rng = SeededGenerator(seed: 11)
        var smoothPoints = 0
        for entry in model.architecture.layout.entries {
            // The largest-magnitude gradient of a random window keeps the check meaningful.
            let start = entry.offset + rng.int(below: max(1, entry.count - 64))
            let window = start..<min(start + 64, entry.range.upperBound)
            let i = window.max { abs(g[$0]) < abs(g[$1]) }!
            let fd = try finiteDifference(trainer: trainer, model: model, data: data, parameter: i)
            guard fd.smooth else { continue }
            smoothPoints += 1
            let a = Double(g[i])
            #expect(abs(a - fd.central) <= 0.02 * max(abs(a), abs(fd.central)) + 1e-4, "\(entry.name): analytic \(g[i]), numeric \(fd.central)")
        }
        #expect(smoothPoints >= 6)
    }
}
