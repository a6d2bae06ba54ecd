import CHDF5

/// Facts about the linked HDF5 library.
public enum HDF5Library {
    /// The library version, e.g. `1.10.8`.
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        guard H5get_libversion(&major, &minor, &release) >= 0 else { return "unknown" }
        return "\(major).\(minor).\(release)"
    }

    /// Whether the library serialises API calls internally (Debian's serial build does).
    public static var isThreadSafe: Bool {
        var safe: hbool_t = false
        return H5is_library_threadsafe(&safe) >= 0 && safe
    }
}
