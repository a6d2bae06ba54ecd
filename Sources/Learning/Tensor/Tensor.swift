/// A dense Float32 tensor in row-major (C) order: the exchange type of the engine's API.
///
/// Hot loops never go through `Tensor`: layers work on raw contiguous buffers. `Tensor` is what
/// callers see when they read a model's parameters (with PyTorch's state_dict layouts), a data
/// sample or a batch of outputs.
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public var shape: [Int]
    /// The elements in row-major order; `values.count == shape.reduce(1, *)`.
    public var values: [Float]

    /// Creates a tensor, checking that the element count matches the shape.
    public init(shape: [Int], values: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw LearningError.shapeMismatch(
                context: "tensor", expected: "\(values.count) elements",
                found: "shape \(Shape.describe(shape)) (\(shape.reduce(1, *)) elements)")
        }
        self.shape = shape
        self.values = values
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.values = Array(repeating: 0, count: shape.reduce(1, *))
    }

    /// The number of elements.
    public var count: Int { values.count }
}

/// Helpers to print shapes the way PyTorch users read them (`32x1x5x5`).
public enum Shape {
    /// `[32, 1, 5, 5]` → `"32x1x5x5"`.
    public static func describe(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "x")
    }
}
