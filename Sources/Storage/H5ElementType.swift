import CHDF5

/// The element type of a stored dataset or attribute, as far as this module distinguishes it.
public enum H5ElementType: Hashable, Sendable, CustomStringConvertible {
    /// A two's-complement (`signed`) or unsigned integer of `bytes` bytes.
    case integer(bytes: Int, signed: Bool)
    /// An IEEE float of `bytes` bytes.
    case float(bytes: Int)
    /// A string, fixed- or variable-length.
    case string
    /// A compound (record) type, e.g. an extendible table.
    case compound
    /// Anything else (enum, array, opaque, reference…).
    case other

    /// 32-bit float.
    public static let float32 = H5ElementType.float(bytes: 4)
    /// 64-bit float.
    public static let float64 = H5ElementType.float(bytes: 8)
    /// 64-bit signed integer.
    public static let int64 = H5ElementType.integer(bytes: 8, signed: true)

    /// E.g. `float32`, `int64`, `uint8`, `string`, `compound`.
    public var description: String {
        switch self {
        case let .integer(bytes, signed): return (signed ? "int" : "uint") + "\(bytes * 8)"
        case let .float(bytes): return "float\(bytes * 8)"
        case .string: return "string"
        case .compound: return "compound"
        case .other: return "other"
        }
    }

    /// Classifies an HDF5 datatype identifier.
    init(type: hid_t) {
        switch H5Tget_class(type) {
        case H5T_INTEGER: self = .integer(bytes: H5Tget_size(type), signed: H5Tget_sign(type) == H5T_SGN_2)
        case H5T_FLOAT: self = .float(bytes: H5Tget_size(type))
        case H5T_STRING: self = .string
        case H5T_COMPOUND: self = .compound
        default: self = .other
        }
    }

    /// Whether HDF5 can convert it to any native number type.
    var isNumeric: Bool {
        switch self {
        case .integer, .float: return true
        default: return false
        }
    }

    /// The native in-memory HDF5 type with this layout, if there is one this module uses.
    var nativeType: hid_t? {
        switch self {
        case .float(4): return ch5_native_float()
        case .float(8): return ch5_native_double()
        case .integer(8, true): return ch5_native_int64()
        case .integer(4, true): return ch5_native_int32()
        case .integer(1, false): return ch5_native_uint8()
        default: return nil
        }
    }
}
