/// A model described as data: an input shape and a sequence of layers.
///
/// `resolve()` checks the spec, computes every layer's input and output shape and names every
/// parameter; `Model(spec:seed:)` then allocates and initialises the weights.
public struct ModelSpec: Codable, Sendable, Equatable {
    /// A short name (`cnn`, `lenet5`, `mlp`, or the user's).
    public var name: String
    /// The per-sample input shape: `[C, H, W]` for images.
    public var input: [Int]
    /// The layers, first to last. The last layer's output are the class logits.
    public var layers: [LayerSpec]

    /// Creates a model spec.
    public init(name: String, input: [Int], layers: [LayerSpec]) {
        self.name = name
        self.input = input
        self.layers = layers
    }

    /// Checks the spec and computes shapes and parameter names.
    public func resolve() throws -> ResolvedModel {
        guard input.count == 3 || input.count == 1, input.allSatisfy({ $0 > 0 }) else {
            throw LearningError.invalidModel("input shape must be C×H×W or a feature count with positive sizes, found \(Shape.describe(input))")
        }
        guard !layers.isEmpty else { throw LearningError.invalidModel("model '\(name)' has no layers") }
        var shape = input
        var resolved: [ResolvedLayer] = []
        var params: [NamedParameter] = []
        var offset = 0
        var convCount = 0, fcCount = 0
        var usedNames = Set<String>()

        for (index, layer) in layers.enumerated() {
            let position = "layer \(index + 1) (\(layer.kind))"
            let inShape = shape
            var paramName: String? = nil
            var fanIn = 0
            switch layer.operation {
            case let .conv2d(out, k, s, p):
                guard inShape.count == 3 else {
                    throw LearningError.shapeMismatch(context: position, expected: "a C×H×W input", found: "a flat vector of \(inShape[0])")
                }
                guard out > 0, k > 0, s > 0, p >= 0 else {
                    throw LearningError.invalidModel("\(position): channels, kernel and stride must be positive and padding non-negative")
                }
                let oh = (inShape[1] + 2 * p - k) / s + 1, ow = (inShape[2] + 2 * p - k) / s + 1
                guard inShape[1] + 2 * p >= k, inShape[2] + 2 * p >= k, oh > 0, ow > 0 else {
                    throw LearningError.shapeMismatch(context: position, expected: "an input of at least \(k)x\(k) (kernel \(k), padding \(p))", found: Shape.describe(inShape))
                }
                convCount += 1
                paramName = layer.name ?? "conv\(convCount)"
                fanIn = inShape[0] * k * k
                shape = [out, oh, ow]
                params.append(NamedParameter(name: paramName! + ".weight", shape: [out, inShape[0], k, k], offset: offset, fanIn: fanIn))
                offset += out * fanIn
                params.append(NamedParameter(name: paramName! + ".bias", shape: [out], offset: offset, fanIn: fanIn))
                offset += out
            case .relu:
                break
            case let .maxPool2d(k, s):
                guard inShape.count == 3 else {
                    throw LearningError.shapeMismatch(context: position, expected: "a C×H×W input", found: "a flat vector of \(inShape[0])")
                }
                guard k > 0, s > 0 else { throw LearningError.invalidModel("\(position): kernel and stride must be positive") }
                guard inShape[1] >= k, inShape[2] >= k else {
                    throw LearningError.shapeMismatch(context: position, expected: "an input of at least \(k)x\(k)", found: Shape.describe(inShape))
                }
                shape = [inShape[0], (inShape[1] - k) / s + 1, (inShape[2] - k) / s + 1]
            case .flatten:
                shape = [inShape.reduce(1, *)]
            case let .linear(out):
                guard inShape.count == 1 else {
                    throw LearningError.shapeMismatch(context: position, expected: "a flat vector (add a flatten layer before it)", found: Shape.describe(inShape))
                }
                guard out > 0 else { throw LearningError.invalidModel("\(position): output features must be positive") }
                fcCount += 1
                paramName = layer.name ?? "fc\(fcCount)"
                fanIn = inShape[0]
                shape = [out]
                params.append(NamedParameter(name: paramName! + ".weight", shape: [out, inShape[0]], offset: offset, fanIn: fanIn))
                offset += out * fanIn
                params.append(NamedParameter(name: paramName! + ".bias", shape: [out], offset: offset, fanIn: fanIn))
                offset += out
            }
            if let paramName {
                guard usedNames.insert(paramName).inserted else {
                    throw LearningError.invalidModel("\(position): parameter name '\(paramName)' is used twice")
                }
            }
            resolved.append(ResolvedLayer(spec: layer, inputShape: inShape, outputShape: shape, parameterName: paramName))
        }
        guard shape.count == 1 else {
            throw LearningError.invalidModel("the last layer must output class logits (a flat vector), found \(Shape.describe(shape)); add flatten and linear layers")
        }
        return ResolvedModel(spec: self, layers: resolved, layout: ParameterLayout(entries: params, count: offset))
    }
}

/// A layer with its shapes worked out.
public struct ResolvedLayer: Sendable, Equatable {
    /// The layer as specified.
    public let spec: LayerSpec
    /// Per-sample input and output shapes.
    public let inputShape: [Int], outputShape: [Int]
    /// The parameter prefix (`conv1`), or `nil` for layers without parameters.
    public let parameterName: String?
}

/// A checked model spec: shapes of every layer and the layout of all parameters in one vector.
public struct ResolvedModel: Sendable, Equatable {
    /// The spec it was resolved from.
    public let spec: ModelSpec
    /// The layers with their shapes.
    public let layers: [ResolvedLayer]
    /// Where each named parameter lives in the flat parameter vector.
    public let layout: ParameterLayout
    /// The number of classes (outputs of the last layer).
    public var classCount: Int { layers.last?.outputShape.first ?? 0 }
}

/// One named parameter tensor inside the model's flat parameter vector.
public struct NamedParameter: Sendable, Equatable {
    /// PyTorch state_dict name, e.g. `conv1.weight`.
    public let name: String
    /// PyTorch layout, e.g. `[out, in, kh, kw]` for a convolution weight.
    public let shape: [Int]
    /// Offset of the first element in the flat vector.
    public let offset: Int
    /// The layer's fan-in (input features × kernel area), which sets PyTorch's default initialisation.
    public let fanIn: Int
    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// The element range in the flat vector.
    public var range: Range<Int> { offset..<(offset + count) }
}

/// All parameters of a model as named slices of one contiguous Float32 vector.
///
/// Keeping every parameter in one vector makes the optimiser step, gradient reductions and
/// federated aggregation single passes over contiguous memory.
public struct ParameterLayout: Sendable, Equatable {
    /// The parameters in model order.
    public let entries: [NamedParameter]
    /// Total number of scalars.
    public let count: Int

    /// The entry named `name`, if any.
    public func entry(named name: String) -> NamedParameter? { entries.first { $0.name == name } }
}
