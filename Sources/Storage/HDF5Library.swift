import CHDF5

/// Facts about the linked HDF5 library.
public enum HDF5Library {
    /// The library version, e.g. `1.10.8`.
    public static var version: String {
        H5.silence()
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        guard H5get_libversion(&major, &minor, &release) >= 0 else { return "unknown" }
        return "\(major).\(minor).\(release)"
    }

    /// Whether the library serialises API calls internally (Debian's serial build does).
    public static var isThreadSafe: Bool {
        H5.silence()
        var safe: hbool_t = false
        return H5is_library_threadsafe(&safe) >= 0 && safe
    }

    /// How many HDF5 identifiers this module's wrappers hold open right now, across all threads
    /// (for leak checks: zero once every file, group, dataset and table is closed or released).
    public static var openHandleCount: Int {
        H5Handle.openCount.value
    }

    /// How many files, groups, datasets, attributes and named datatypes HDF5 itself has open,
    /// across all files (for leak checks).
    public static var openObjectCount: Int {
        H5.silence()
        return max(0, H5Fget_obj_count(hid_t(ch5_f_obj_all()), ch5_f_obj_all()))
    }
}
