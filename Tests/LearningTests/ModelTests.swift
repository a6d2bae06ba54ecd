import Testing
@testable import Learning

@Suite("Models")
struct ModelTests {
    @Test("parameter counts match the spec's table (PyTorch's numbers)")
    func counts() throws {
        // ../shared/specs/federated-learning.md §4.
        #expect(try Model(spec: ModelZoo.pilotCNN(input: [1, 28, 28]), seed: 1).parameterCount == 582_026)
        #expect(try Model(spec: ModelZoo.pilotCNN(input: [3, 32, 32]), seed: 1).parameterCount == 878_538)
        #expect(try Model(spec: ModelZoo.lenet5(input: [3, 32, 32]), seed: 1).parameterCount == 62_006)
        // McMahan's 2NN: 784·200 + 200 + 200·200 + 200 + 200·10 + 10.
        #expect(try Model(spec: ModelZoo.mlp(), seed: 1).parameterCount == 199_210)
    }

    @Test("state_dict names and layouts are PyTorch's")
    func stateDict() throws {
        let model = try Model(spec: ModelZoo.pilotCNN(input: [3, 32, 32]), seed: 1)
        let names = model.stateDict().map(\.name)
        #expect(names == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        let shapes = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.name, $0.tensor.shape) })
        #expect(shapes["conv1.weight"] == [32, 3, 5, 5])
        #expect(shapes["conv2.weight"] == [64, 32, 5, 5])
        #expect(shapes["fc1.weight"] == [512, 1600])
        #expect(shapes["fc2.weight"] == [10, 512])
    }

    @Test("default initialisation is uniform in ±1/√fan_in, per tensor")
    func initialisation() throws {
        let model = try Model(spec: ModelZoo.pilotCNN(), seed: 7)
        for entry in model.architecture.layout.entries {
            let bound = Float(1 / Double(entry.fanIn).squareRoot())
            let values = model.parameters[entry.range]
            #expect(values.allSatisfy { abs($0) <= bound })
            if entry.count >= 1000 {
                // Uniform(−b, b) has standard deviation b/√3.
                let mean = values.reduce(0.0) { $0 + Double($1) } / Double(entry.count)
                let sd = (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(entry.count)).squareRoot()
                #expect(abs(sd / (Double(bound) / 3.0.squareRoot()) - 1) < 0.05)
            }
        }
        #expect(try Model(spec: ModelZoo.pilotCNN(), seed: 7).parameters == model.parameters)
        #expect(try Model(spec: ModelZoo.pilotCNN(), seed: 8).parameters != model.parameters)
    }

    @Test("flatten size follows the input shape")
    func anyInput() throws {
        for (shape, flat) in [([1, 28, 28], 1024), ([3, 32, 32], 1600), ([2, 40, 36], 64 * 7 * 6)] {
            let r = try ModelZoo.pilotCNN(input: shape).resolve()
            #expect(r.layers.first { $0.spec.kind == "linear" }?.inputShape == [flat])
        }
    }

    @Test("invalid specs name the layer and both shapes")
    func errors() throws {
        let small = ModelZoo.pilotCNN(input: [1, 10, 10])
        #expect(throws: LearningError.self) { try small.resolve() }
        do { _ = try small.resolve() } catch {
            let text = "\(error)"
            #expect(text.contains("layer 4 (conv2d)"))
            #expect(text.contains("32x3x3"))
            #expect(text.contains("5x5"))
        }
        let noFlatten = ModelSpec(name: "x", input: [1, 4, 4], layers: [.linear(3)])
        #expect(throws: LearningError.self) { try noFlatten.resolve() }
        let notLogits = ModelSpec(name: "x", input: [1, 4, 4], layers: [.conv2d(2, kernel: 3)])
        #expect(throws: LearningError.self) { try notLogits.resolve() }
        let duplicate = ModelSpec(name: "x", input: [1, 4, 4], layers: [.flatten, .linear(3, name: "a"), .linear(2, name: "a")])
        #expect(throws: LearningError.self) { try duplicate.resolve() }
    }

    @Test("a model spec round-trips through JSON as a list of layer objects")
    func codable() throws {
        let spec = ModelZoo.lenet5()
        let data = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(ModelSpec.self, from: data) == spec)
        let text = #"{"name":"tiny","input":[1,8,8],"layers":[{"type":"conv2d","out":4,"kernel":3},{"type":"relu"},{"type":"flatten"},{"type":"linear","out":10,"name":"head"}]}"#
        let tiny = try JSONDecoder().decode(ModelSpec.self, from: Data(text.utf8))
        let model = try Model(spec: tiny, seed: 1)
        #expect(model.stateDict().map(\.name) == ["conv1.weight", "conv1.bias", "head.weight", "head.bias"])
        let bad = #"{"name":"t","input":[1,8,8],"layers":[{"type":"conv3d","out":4}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ModelSpec.self, from: Data(bad.utf8)) }
    }

    @Test("loading a state dict checks names and shapes")
    func load() throws {
        var a = try Model(spec: ModelZoo.mlp(), seed: 1)
        let b = try Model(spec: ModelZoo.mlp(), seed: 2)
        try a.load(stateDict: Dictionary(uniqueKeysWithValues: b.stateDict().map { ($0.name, $0.tensor) }))
        #expect(a.parameters == b.parameters)
        var wrong = Dictionary(uniqueKeysWithValues: b.stateDict().map { ($0.name, $0.tensor) })
        wrong["fc1.weight"] = Tensor(zeros: [200, 783])
        #expect(throws: LearningError.self) { try a.load(stateDict: wrong) }
    }
}

import Foundation
