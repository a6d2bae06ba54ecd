import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// An open HDF5 file.
///
/// Groups and datasets opened from it keep the file open in HDF5 until they are closed too
/// (HDF5's default "weak" close). Not `Sendable`: confine it to one task or actor.
public final class H5File {
    /// How to open an existing file.
    public enum Mode: Sendable {
        /// Reading only.
        case readOnly
        /// Reading and writing.
        case readWrite
    }

    /// The path as given by the caller (used in error messages).
    public let path: String
    private let handle: H5Handle

    private init(path: String, handle: H5Handle) {
        self.path = path
        self.handle = handle
        closeOnExec()
    }

    /// Creates a file. Fails if it exists unless `overwrite` is true (then it is truncated).
    /// Groups in the file list their children in creation order.
    public static func create(path: String, overwrite: Bool = false) throws -> H5File {
        H5.silence()
        let fcpl = try H5Handle.orderedCreationList(ch5_p_file_create(), file: path)
        defer { fcpl.close() }
        let flags = overwrite ? ch5_f_acc_trunc() : ch5_f_acc_excl()
        let id = H5Fcreate(path, flags, fcpl.id, ch5_p_default())
        return H5File(path: path, handle: try H5Handle(id, .file, "cannot create", file: path))
    }

    /// Opens an existing file. A missing, truncated or non-HDF5 file throws an `HDF5Error`.
    public static func open(path: String, mode: Mode = .readOnly) throws -> H5File {
        H5.silence()
        let id = H5Fopen(path, mode == .readOnly ? ch5_f_acc_rdonly() : ch5_f_acc_rdwr(), ch5_p_default())
        return H5File(path: path, handle: try H5Handle(id, .file, "cannot open", file: path))
    }

    /// Opens the root group `/`.
    public func rootGroup() throws -> H5Group {
        H5.silence()
        let id = H5Gopen2(handle.id, "/", ch5_p_default())
        return H5Group(handle: try H5Handle(id, .group, "cannot open /", file: path), filePath: path, path: "/")
    }

    /// Writes every buffered change of the file (and files mounted on it) to the operating system,
    /// so that a process killed afterwards leaves a readable file. (It does not `fsync`.)
    public func flush() throws {
        H5.silence()
        try H5.check(H5Fflush(handle.id, H5F_SCOPE_GLOBAL), "cannot flush", file: path)
    }

    /// Marks the file descriptor close-on-exec. HDF5 opens it without `O_CLOEXEC`, and holds a
    /// `flock` on it: a child process spawned while the file is open (Foundation's `Process` does
    /// not close every descriptor) would otherwise keep the lock after this process closes the
    /// file, and the file could not be reopened until that child exits.
    private func closeOnExec() {
        var raw: UnsafeMutableRawPointer?
        guard H5Fget_vfd_handle(handle.id, ch5_p_default(), &raw) >= 0, let raw else {
            _ = H5Eclear2(ch5_e_default())
            return
        }
        let fd = raw.load(as: Int32.self)
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }

    /// Closes the file identifier now (deinit does it otherwise).
    public func close() throws {
        try H5.check(handle.close(), "cannot close", file: path)
    }
}
