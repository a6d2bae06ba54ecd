/// A request the storage layer refuses before or instead of calling HDF5: a table row of the wrong
/// shape or type, an unsupported stored type, a shape that does not match its values.
public struct StorageError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for callers that match on it.
    public enum Kind: Sendable, Equatable {
        /// A table row has the wrong number of values.
        case rowArity
        /// A table cell has the wrong type for its column.
        case columnType
        /// A dataset's shape does not match its values, or a shape or chunk size is invalid.
        case shape
        /// The stored type cannot be read as requested.
        case unsupportedType
        /// A name is empty or repeated.
        case invalidName
        /// An argument is out of range (e.g. a compression level).
        case invalidArgument
        /// The table was closed (directly or by finishing its run file).
        case closed
    }

    /// The category.
    public let kind: Kind
    /// The file's path.
    public let path: String
    /// The object inside the file, e.g. `/metrics/global`.
    public let object: String
    /// A human-readable explanation.
    public let message: String

    /// `path: object: message`.
    public var description: String { "\(path): \(object): \(message)" }
}
