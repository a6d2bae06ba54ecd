/// An open HDF5 group or dataset: the common base that carries attributes.
///
/// Not `Sendable`: confine an object (and its file) to one task or actor. The identifier is closed
/// by `close()` or when the object is released.
public class H5Object {
    let handle: H5Handle
    /// The file's path, as given when it was opened (used in error messages).
    public let filePath: String
    /// This object's absolute path inside the file, e.g. `/metrics/global`.
    public let path: String

    init(handle: H5Handle, filePath: String, path: String) {
        self.handle = handle
        self.filePath = filePath
        self.path = path
    }

    /// Closes the object's identifier now; later calls on it fail with an `HDF5Error`.
    public func close() {
        handle.close()
    }

    /// Whether `close()` has not been called yet.
    var isOpen: Bool { handle.id >= 0 }

    /// The absolute path of `name` relative to this object (`name` may itself be absolute).
    func childPath(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return path == "/" ? "/" + name : path + "/" + name
    }
}
