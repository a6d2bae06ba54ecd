/// A run-file level failure: the file exists, is not a run file, is closed or read-only, or a name
/// or snapshot is wrong. (HDF5 failures are `HDF5Error`s, table row errors `StorageError`s.)
public struct RunFileError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for callers that match on it.
    public enum Kind: Sendable, Equatable {
        /// `create` found an existing file and `overwrite` was false.
        case fileExists
        /// An HDF5 file without a valid `status` attribute or run metadata.
        case notARunFile
        /// A run file part (e.g. the events table) does not have the expected layout.
        case malformed
        /// The run file was finished or closed.
        case closed
        /// A write was attempted on a file opened for reading.
        case readOnly
        /// An empty or reserved name, or one containing `/`.
        case invalidName
        /// A table was requested again with different columns.
        case schemaMismatch
        /// The snapshot does not exist.
        case noSuchSnapshot
        /// A snapshot of that name was already written.
        case snapshotExists
    }

    /// The category.
    public let kind: Kind
    /// The run file's path.
    public let path: String
    /// A human-readable explanation.
    public let message: String

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
