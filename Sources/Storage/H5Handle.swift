import CHDF5

/// Owns one HDF5 identifier and closes it exactly once: on `close()` or at `deinit`.
///
/// Swift may release an object right after its last use, so a temporary handle whose `id` is passed
/// to a later call must be kept alive explicitly: `defer { handle.close() }`.
final class H5Handle {
    /// How many identifiers all handles hold open right now (`HDF5Library.openHandleCount`).
    static let openCount = OpenCount()

    /// Which close function the identifier needs.
    enum Kind { case file, group, dataset, attribute, datatype, dataspace, propertyList, object }

    /// The identifier, or -1 once closed.
    private(set) var id: hid_t
    private let kind: Kind

    /// Wraps `id`, or throws the thread's HDF5 error stack if the call that produced it failed.
    init(_ id: hid_t, _ kind: Kind, _ operation: @autoclosure () -> String, file: String) throws {
        try H5.check(id, operation(), file: file)
        self.id = id
        self.kind = kind
        Self.openCount.add(1)
    }

    /// Closes the identifier if still open; returns HDF5's result (negative on failure).
    @discardableResult
    func close() -> herr_t {
        guard id >= 0 else { return 0 }
        let old = id
        id = -1
        Self.openCount.add(-1)
        H5.silence()
        switch kind {
        case .file: return H5Fclose(old)
        case .group: return H5Gclose(old)
        case .dataset: return H5Dclose(old)
        case .attribute: return H5Aclose(old)
        case .datatype: return H5Tclose(old)
        case .dataspace: return H5Sclose(old)
        case .propertyList: return H5Pclose(old)
        case .object: return H5Oclose(old)
        }
    }

    deinit { close() }
}

extension H5Handle {
    /// A dataspace of `shape`: scalar for `[]`, otherwise simple, optionally with maximum dims
    /// (`nil` entries mean unlimited).
    static func dataspace(_ shape: [Int], maxShape: [Int?]? = nil, file: String) throws -> H5Handle {
        if shape.isEmpty { return try H5Handle(H5Screate(H5S_SCALAR), .dataspace, "cannot create dataspace", file: file) }
        let dims = shape.map { hsize_t($0) }
        let id = maxShape.map { max in
            H5Screate_simple(Int32(dims.count), dims, max.map { $0.map { hsize_t($0) } ?? ch5_s_unlimited() })
        } ?? H5Screate_simple(Int32(dims.count), dims, nil)
        return try H5Handle(id, .dataspace, "cannot create dataspace \(shape)", file: file)
    }

    /// The variable-length UTF-8 string type (read by h5py as `str`).
    static func variableString(file: String) throws -> H5Handle {
        let type = try H5Handle(H5Tcopy(ch5_c_s1()), .datatype, "cannot create string type", file: file)
        try H5.check(H5Tset_size(type.id, ch5_t_variable()), "cannot create string type", file: file)
        try H5.check(H5Tset_cset(type.id, H5T_CSET_UTF8), "cannot create string type", file: file)
        return type
    }

    /// A new property list of class `cls` (e.g. `ch5_p_dataset_create()`).
    static func propertyList(_ cls: hid_t, file: String) throws -> H5Handle {
        try H5Handle(H5Pcreate(cls), .propertyList, "cannot create property list", file: file)
    }

    /// A group (or file) creation list that tracks and indexes link creation order, so children
    /// list in the order they were created.
    static func orderedCreationList(_ cls: hid_t, file: String) throws -> H5Handle {
        let list = try propertyList(cls, file: file)
        let flags = UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)
        try H5.check(H5Pset_link_creation_order(list.id, flags), "cannot track creation order", file: file)
        return list
    }
}
