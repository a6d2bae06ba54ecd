/// A Swift number type stored as-is in HDF5 datasets and attributes: `Float` (float32),
/// `Double` (float64) and `Int64` (int64).
public protocol HDF5Numeric: BitwiseCopyable, Sendable {
    /// The stored (and in-memory) element type.
    static var elementType: H5ElementType { get }
}

extension Float: HDF5Numeric {
    /// `float32`.
    public static var elementType: H5ElementType { .float32 }
}

extension Double: HDF5Numeric {
    /// `float64`.
    public static var elementType: H5ElementType { .float64 }
}

extension Int64: HDF5Numeric {
    /// `int64`.
    public static var elementType: H5ElementType { .int64 }
}
