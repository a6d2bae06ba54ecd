/// One layer of a model described as data, so that models can come from Lua tables or JSON.
///
/// Parameterised layers are named as PyTorch would name the attributes of the anchor's models
/// (`conv1`, `conv2`, `fc1`, …) unless `name` says otherwise; the parameters are then
/// `<name>.weight` and `<name>.bias` with PyTorch's state_dict layouts.
public struct LayerSpec: Codable, Sendable, Equatable {
    /// What the layer computes.
    public enum Operation: Sendable, Equatable {
        /// 2-D convolution: `outChannels` filters of `kernel`×`kernel`, with stride and zero padding.
        case conv2d(outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0)
        /// Rectified linear unit.
        case relu
        /// Max pooling over `kernel`×`kernel` windows (PyTorch's floor mode, no padding).
        case maxPool2d(kernel: Int, stride: Int)
        /// Flattens C×H×W to a vector in (c, h, w) order, as `torch.flatten(x, 1)`.
        case flatten
        /// Fully connected layer with `outFeatures` outputs.
        case linear(outFeatures: Int)
    }

    /// The operation.
    public var operation: Operation
    /// The state_dict prefix of the layer's parameters; `nil` for automatic naming.
    public var name: String?

    /// Creates a layer spec.
    public init(_ operation: Operation, name: String? = nil) {
        self.operation = operation
        self.name = name
    }

    /// A convolution layer.
    public static func conv2d(_ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0, name: String? = nil) -> LayerSpec {
        LayerSpec(.conv2d(outChannels: outChannels, kernel: kernel, stride: stride, padding: padding), name: name)
    }
    /// A ReLU.
    public static var relu: LayerSpec { LayerSpec(.relu) }
    /// A max-pooling layer (stride defaults to the kernel size, as in PyTorch).
    public static func maxPool2d(_ kernel: Int, stride: Int? = nil) -> LayerSpec {
        LayerSpec(.maxPool2d(kernel: kernel, stride: stride ?? kernel))
    }
    /// A flatten layer.
    public static var flatten: LayerSpec { LayerSpec(.flatten) }
    /// A fully connected layer.
    public static func linear(_ outFeatures: Int, name: String? = nil) -> LayerSpec {
        LayerSpec(.linear(outFeatures: outFeatures), name: name)
    }

    /// The operation's short name: `conv2d`, `relu`, `maxpool2d`, `flatten` or `linear`.
    public var kind: String {
        switch operation {
        case .conv2d: return "conv2d"
        case .relu: return "relu"
        case .maxPool2d: return "maxpool2d"
        case .flatten: return "flatten"
        case .linear: return "linear"
        }
    }

    // Codable as a flat object: {"type": "conv2d", "out": 32, "kernel": 5, "stride": 1, "padding": 0}.
    private enum CodingKeys: String, CodingKey { case type, name, out, kernel, stride, padding }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        switch type {
        case "conv2d":
            operation = .conv2d(
                outChannels: try c.decode(Int.self, forKey: .out),
                kernel: try c.decode(Int.self, forKey: .kernel),
                stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? 1,
                padding: try c.decodeIfPresent(Int.self, forKey: .padding) ?? 0)
        case "relu": operation = .relu
        case "maxpool2d":
            let k = try c.decode(Int.self, forKey: .kernel)
            operation = .maxPool2d(kernel: k, stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? k)
        case "flatten": operation = .flatten
        case "linear": operation = .linear(outFeatures: try c.decode(Int.self, forKey: .out))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c,
                debugDescription: "unknown layer type '\(type)' (expected conv2d, relu, maxpool2d, flatten or linear)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .type)
        try c.encodeIfPresent(name, forKey: .name)
        switch operation {
        case let .conv2d(out, k, s, p):
            try c.encode(out, forKey: .out); try c.encode(k, forKey: .kernel)
            try c.encode(s, forKey: .stride); try c.encode(p, forKey: .padding)
        case let .maxPool2d(k, s):
            try c.encode(k, forKey: .kernel); try c.encode(s, forKey: .stride)
        case let .linear(out):
            try c.encode(out, forKey: .out)
        case .relu, .flatten:
            break
        }
    }
}
