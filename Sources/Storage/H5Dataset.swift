import CHDF5

/// An open dataset, with its shape and element type read when it was opened.
public final class H5Dataset: H5Object {
    /// The dimensions at opening time (`[]` for a scalar dataset).
    public let shape: [Int]
    /// The number of elements at opening time.
    public let count: Int
    /// The stored element type.
    public let elementType: H5ElementType

    init(opened handle: H5Handle, filePath: String, path: String) throws {
        let type = try H5Handle(H5Dget_type(handle.id), .datatype, "cannot read the type of \(path)", file: filePath)
        defer { type.close() }
        let space = try H5Handle(H5Dget_space(handle.id), .dataspace, "cannot read the shape of \(path)", file: filePath)
        defer { space.close() }
        (shape, count) = try H5.extent(of: space.id, file: filePath, object: path)
        elementType = H5ElementType(type: type.id)
        super.init(handle: handle, filePath: filePath, path: path)
    }

    /// Reads every element, in row-major order, converted by HDF5 to `T` (exact when the stored
    /// type is `T.elementType`). Fails for string and compound datasets.
    public func read<T: HDF5Numeric>(_ type: T.Type = T.self) throws -> [T] {
        H5.silence()
        guard elementType.isNumeric else {
            throw StorageError(kind: .unsupportedType, path: filePath, object: path,
                               message: "cannot read \(elementType) data as \(T.elementType)")
        }
        return try H5.readNumbers(T.self, count: count, "cannot read \(path)", file: filePath, object: path) {
            H5Dread(handle.id, $0, ch5_s_all(), ch5_s_all(), ch5_p_default(), $1)
        }
    }
}
