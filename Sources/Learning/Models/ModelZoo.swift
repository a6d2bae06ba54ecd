/// The built-in architectures.
public enum ModelZoo {
    /// The names accepted by ``spec(named:input:classes:)``.
    public static let names = ["cnn", "lenet5", "mlp"]

    /// The seed's pilot CNN (the anchor's `CNN3`, McMahan et al.'s CNN with valid padding):
    /// conv 5×5 32 → ReLU → maxpool 2 → conv 5×5 64 → ReLU → maxpool 2 → fc 512 → ReLU → fc.
    /// The flatten size follows from the input (1,024 for 1×28×28, 1,600 for 3×32×32).
    public static func pilotCNN(input: [Int] = [1, 28, 28], classes: Int = 10) -> ModelSpec {
        ModelSpec(name: "cnn", input: input, layers: [
            .conv2d(32, kernel: 5), .relu, .maxPool2d(2),
            .conv2d(64, kernel: 5), .relu, .maxPool2d(2),
            .flatten, .linear(512), .relu, .linear(classes),
        ])
    }

    /// A LeNet-5 variant (the PyTorch tutorial net the anchor calls `NaiveNet`): conv 5×5 6 →
    /// ReLU → maxpool 2 → conv 5×5 16 → ReLU → maxpool 2 → fc 120 → fc 84 → fc, with ReLUs.
    /// On 28×28 inputs the first convolution pads by 2, as in LeCun's original 32×32 design.
    public static func lenet5(input: [Int] = [1, 28, 28], classes: Int = 10) -> ModelSpec {
        let pad = (input.count == 3 && input[1] < 32) ? 2 : 0
        return ModelSpec(name: "lenet5", input: input, layers: [
            .conv2d(6, kernel: 5, padding: pad), .relu, .maxPool2d(2),
            .conv2d(16, kernel: 5), .relu, .maxPool2d(2),
            .flatten, .linear(120), .relu, .linear(84), .relu, .linear(classes),
        ])
    }

    /// A two-hidden-layer perceptron: flatten → fc 200 → ReLU → fc 200 → ReLU → fc
    /// (McMahan et al.'s "2NN").
    public static func mlp(input: [Int] = [1, 28, 28], classes: Int = 10, hidden: [Int] = [200, 200]) -> ModelSpec {
        var layers: [LayerSpec] = [.flatten]
        for h in hidden { layers += [.linear(h), .relu] }
        layers.append(.linear(classes))
        return ModelSpec(name: "mlp", input: input, layers: layers)
    }

    /// A built-in spec by name, for the given input shape and class count.
    public static func spec(named name: String, input: [Int], classes: Int) throws -> ModelSpec {
        switch name.lowercased() {
        case "cnn", "pilot", "pilot-cnn", "cnn3": return pilotCNN(input: input, classes: classes)
        case "lenet5", "lenet", "lenet-5", "naivenet": return lenet5(input: input, classes: classes)
        case "mlp", "2nn": return mlp(input: input, classes: classes)
        default:
            throw LearningError.invalidArgument("unknown model '\(name)' (expected one of: \(names.joined(separator: ", ")))")
        }
    }
}
