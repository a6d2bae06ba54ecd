import CHDF5

/// An open group (the root group included): navigation, listing and dataset creation.
public final class H5Group: H5Object {
    /// Opens the existing group at `path` (relative to this group, or absolute).
    public func group(_ path: String) throws -> H5Group {
        H5.silence()
        let full = childPath(path)
        let id = H5Gopen2(handle.id, path, ch5_p_default())
        return H5Group(handle: try H5Handle(id, .group, "cannot open group \(full)", file: filePath),
                       filePath: filePath, path: full)
    }

    /// Opens the group at `path`, creating it and any missing parents (like `mkdir -p`). New groups
    /// list their children in creation order.
    @discardableResult
    public func requireGroup(_ path: String) throws -> H5Group {
        H5.silence()
        var current = path.hasPrefix("/") ? try group("/") : self
        for name in path.split(separator: "/").map(String.init) {
            let full = current.childPath(name)
            if try current.contains(name) {
                current = try current.group(name)
            } else {
                let gcpl = try H5Handle.orderedCreationList(ch5_p_group_create(), file: filePath)
                defer { gcpl.close() }
                let id = H5Gcreate2(current.handle.id, name, ch5_p_default(), gcpl.id, ch5_p_default())
                current = H5Group(handle: try H5Handle(id, .group, "cannot create group \(full)", file: filePath),
                                  filePath: filePath, path: full)
            }
        }
        return current
    }

    /// Whether a link exists at `path` (relative; every intermediate component must be a group).
    public func contains(_ path: String) throws -> Bool {
        H5.silence()
        var prefix = path.hasPrefix("/") ? "/" : ""
        for name in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + name
            let exists = try H5.isTrue(H5Lexists(handle.id, prefix, ch5_p_default()),
                                       "cannot look up \(childPath(prefix))", file: filePath)
            if !exists { return false }
        }
        return true
    }

    /// Removes the link `name` (the space it used is not reclaimed in the file).
    public func remove(_ name: String) throws {
        H5.silence()
        try H5.check(H5Ldelete(handle.id, name, ch5_p_default()), "cannot delete \(childPath(name))", file: filePath)
    }

    /// The children, in creation order when the group tracks it, otherwise by name.
    public func children() throws -> [H5Child] {
        H5.silence()
        return try childNames().map { name in
            let object = try H5Handle(H5Oopen(handle.id, name, ch5_p_default()), .object,
                                      "cannot open \(childPath(name))", file: filePath)
            defer { object.close() }
            switch H5Iget_type(object.id) {
            case H5I_GROUP:
                return H5Child(name: name, kind: .group)
            case H5I_DATASET:
                let dataset = try H5Dataset(opened: object, filePath: filePath, path: childPath(name))
                return H5Child(name: name, kind: .dataset(shape: dataset.shape, type: dataset.elementType))
            default:
                return H5Child(name: name, kind: .other)
            }
        }
    }

    /// Opens the dataset `name` (relative or absolute path).
    public func dataset(_ name: String) throws -> H5Dataset {
        H5.silence()
        let full = childPath(name)
        let id = H5Dopen2(handle.id, name, ch5_p_default())
        return try H5Dataset(opened: try H5Handle(id, .dataset, "cannot open dataset \(full)", file: filePath),
                             filePath: filePath, path: full)
    }

    /// Creates dataset `name` of `shape` (row-major, `[]` for a scalar) holding `values`.
    ///
    /// With a `compressionLevel` (0–9, default 6) the data is chunked (chunks of at most 1 MiB) and
    /// compressed with shuffle + deflate; `nil` stores it contiguous. Empty and scalar datasets are
    /// always contiguous.
    @discardableResult
    public func createDataset<T: HDF5Numeric>(_ name: String, shape: [Int], values: [T],
                                              compressionLevel: Int? = 6) throws -> H5Dataset {
        H5.silence()
        let full = childPath(name)
        let operation = "cannot create dataset \(full)"
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw StorageError(kind: .shape, path: filePath, object: full,
                               message: "shape \(shape) does not hold \(values.count) values")
        }
        let type = try H5.nativeType(T.self, file: filePath, object: full)
        let space = try H5Handle.dataspace(shape, file: filePath)
        defer { space.close() }
        let dcpl = try H5Handle.propertyList(ch5_p_dataset_create(), file: filePath)
        defer { dcpl.close() }
        if let level = compressionLevel, !shape.isEmpty, !values.isEmpty {
            guard (0...9).contains(level) else {
                throw StorageError(kind: .invalidArgument, path: filePath, object: full,
                                   message: "compression level \(level) is not in 0...9")
            }
            let chunk = Self.chunkShape(shape, elementBytes: MemoryLayout<T>.size).map { hsize_t($0) }
            try H5.check(H5Pset_chunk(dcpl.id, Int32(chunk.count), chunk), operation, file: filePath)
            try H5.check(H5Pset_shuffle(dcpl.id), operation, file: filePath)
            try H5.check(H5Pset_deflate(dcpl.id, UInt32(level)), operation, file: filePath)
        }
        let id = H5Dcreate2(handle.id, name, type, space.id, ch5_p_default(), dcpl.id, ch5_p_default())
        let dataset = try H5Handle(id, .dataset, operation, file: filePath)
        if !values.isEmpty {
            _ = try values.withUnsafeBytes { raw in
                try H5.check(H5Dwrite(dataset.id, type, ch5_s_all(), ch5_s_all(), ch5_p_default(), raw.baseAddress),
                             operation, file: filePath)
            }
        }
        return try H5Dataset(opened: dataset, filePath: filePath, path: full)
    }

    /// A chunk shape of at most 1 MiB: the whole shape, with its largest dimension halved until it fits.
    static func chunkShape(_ shape: [Int], elementBytes: Int) -> [Int] {
        var chunk = shape.map { max(1, $0) }
        while chunk.reduce(elementBytes, *) > 1 << 20, let largest = chunk.indices.max(by: { chunk[$0] < chunk[$1] }) {
            chunk[largest] = (chunk[largest] + 1) / 2
        }
        return chunk
    }

    private func childNames() throws -> [String] {
        let gcpl = try H5Handle(H5Gget_create_plist(handle.id), .propertyList, "cannot list \(path)", file: filePath)
        defer { gcpl.close() }
        var flags: UInt32 = 0
        try H5.check(H5Pget_link_creation_order(gcpl.id, &flags), "cannot list \(path)", file: filePath)
        let index = flags & UInt32(H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME
        var names: [String] = []
        _ = try withUnsafeMutablePointer(to: &names) { box in
            try H5.check(H5Literate(handle.id, index, H5_ITER_INC, nil, { _, name, _, data in
                guard let name, let data else { return -1 }
                data.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                return 0
            }, box), "cannot list \(path)", file: filePath)
        }
        return names
    }
}
