/// A model: its resolved spec and all parameters in one flat Float32 vector.
///
/// `Model` is a value: copying it copies the weights (lazily, copy-on-write), which is what a
/// federated client receiving the global model wants. Parameters are named and shaped as in
/// PyTorch's `state_dict()`.
public struct Model: Sendable {
    /// The checked spec with shapes and the parameter layout.
    public let architecture: ResolvedModel
    /// All parameters, laid out as `architecture.layout` says.
    public var parameters: [Float]

    /// Builds a model with PyTorch's default initialisation, drawn from a generator seeded by `seed`:
    /// every weight and bias of a convolution or linear layer is uniform in ±1/√fan_in
    /// (`kaiming_uniform_(a=√5)` for weights, the bias rule of `_ConvNd`/`Linear`).
    public init(spec: ModelSpec, seed: UInt64) throws {
        let resolved = try spec.resolve()
        var rng = SeededGenerator(seed: seed, label: "init")
        var p = [Float](repeating: 0, count: resolved.layout.count)
        for entry in resolved.layout.entries {
            let bound = Float(1.0 / Double(entry.fanIn).squareRoot())
            for i in entry.range { p[i] = rng.uniform(-bound, bound) }
        }
        self.architecture = resolved
        self.parameters = p
    }

    /// Wraps existing parameters; their count must match the layout.
    public init(architecture: ResolvedModel, parameters: [Float]) throws {
        guard parameters.count == architecture.layout.count else {
            throw LearningError.shapeMismatch(context: "model '\(architecture.spec.name)'",
                                              expected: "\(architecture.layout.count) parameters",
                                              found: "\(parameters.count)")
        }
        self.architecture = architecture
        self.parameters = parameters
    }

    /// The model's spec.
    public var spec: ModelSpec { architecture.spec }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.count }

    /// The named tensors in model order, as PyTorch's `state_dict()` lists them.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        architecture.layout.entries.map { entry in
            // Shapes come from the layout, so the element count always matches.
            (entry.name, (try? Tensor(shape: entry.shape, values: Array(parameters[entry.range]))) ?? Tensor(zeros: entry.shape))
        }
    }

    /// One named parameter tensor.
    public func tensor(named name: String) -> Tensor? {
        guard let entry = architecture.layout.entry(named: name) else { return nil }
        return try? Tensor(shape: entry.shape, values: Array(parameters[entry.range]))
    }

    /// Replaces parameters from named tensors; every parameter must be present with its shape.
    public mutating func load(stateDict: [String: Tensor]) throws {
        for entry in architecture.layout.entries {
            guard let t = stateDict[entry.name] else {
                throw LearningError.invalidModel("state dict lacks '\(entry.name)'")
            }
            guard t.shape == entry.shape else {
                throw LearningError.shapeMismatch(context: entry.name, expected: Shape.describe(entry.shape), found: Shape.describe(t.shape))
            }
            parameters.replaceSubrange(entry.range, with: t.values)
        }
    }
}
