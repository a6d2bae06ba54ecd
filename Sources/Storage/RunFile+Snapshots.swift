extension RunFile {
    /// Writes snapshot `/snapshots/<name>/`: one float32 dataset (shuffle + deflate) per tensor,
    /// named as given (dots kept), the `attributes`, and an `order` attribute listing the tensor
    /// names as written. Refuses an existing snapshot name. Flushes.
    public func writeSnapshot(name: String, tensors: [SnapshotTensor], attributes: [String: AttributeValue] = [:]) throws {
        H5.silence()
        try validate(name, as: "snapshot")
        var seen = Set<String>()
        for tensor in tensors {
            try validate(tensor.name, as: "tensor")
            guard seen.insert(tensor.name).inserted else {
                throw RunFileError(kind: .invalidName, path: path, message: "snapshot '\(name)' repeats tensor '\(tensor.name)'")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.shape.reduce(1, *) == tensor.values.count else {
                throw StorageError(kind: .shape, path: path, object: "/snapshots/\(name)/\(tensor.name)",
                                   message: "shape \(tensor.shape) does not hold \(tensor.values.count) values")
            }
        }
        guard attributes["order"] == nil else {
            throw RunFileError(kind: .invalidName, path: path, message: "snapshot attribute 'order' is reserved")
        }
        let snapshots = try writableRoot().requireGroup("snapshots")
        defer { snapshots.close() }
        guard try !snapshots.contains(name) else {
            throw RunFileError(kind: .snapshotExists, path: path, message: "snapshot '\(name)' already exists")
        }
        let group = try snapshots.requireGroup(name)
        defer { group.close() }
        for tensor in tensors {
            try group.createDataset(tensor.name, shape: tensor.shape, values: tensor.values).close()
        }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            try group.setAttribute(key, value)
        }
        try group.setAttribute("order", .strings(tensors.map(\.name)))
        try flush()
    }

    /// `writeSnapshot` with tensors given as tuples.
    @_disfavoredOverload
    public func writeSnapshot(name: String, tensors: [(name: String, shape: [Int], values: [Float])],
                              attributes: [String: AttributeValue] = [:]) throws {
        try writeSnapshot(name: name, tensors: tensors.map { SnapshotTensor(name: $0.name, shape: $0.shape, values: $0.values) },
                          attributes: attributes)
    }

    /// The snapshot names, in creation order.
    public func snapshotNames() throws -> [String] {
        H5.silence()
        let root = try root()
        guard try root.contains("snapshots") else { return [] }
        let snapshots = try root.group("snapshots")
        defer { snapshots.close() }
        return try snapshots.children().filter { $0.kind == .group }.map(\.name)
    }

    /// Reads snapshot `name`: tensors in stored order (from its `order` attribute, or creation
    /// order if absent) and its attributes.
    public func readSnapshot(name: String) throws -> Snapshot {
        H5.silence()
        try validate(name, as: "snapshot")
        let root = try root()
        guard try root.contains("snapshots/\(name)") else {
            throw RunFileError(kind: .noSuchSnapshot, path: path, message: "no snapshot '\(name)'")
        }
        let group = try root.group("snapshots/\(name)")
        defer { group.close() }
        var attributes = try group.attributes()
        let order: [String]
        if case let .strings(names)? = attributes.removeValue(forKey: "order") {
            order = names
        } else {
            order = try group.children().compactMap { child in
                if case .dataset = child.kind { return child.name }
                return nil
            }
        }
        let tensors = try order.map { tensorName in
            let dataset = try group.dataset(tensorName)
            defer { dataset.close() }
            return SnapshotTensor(name: tensorName, shape: dataset.shape, values: try dataset.read(Float.self))
        }
        return Snapshot(name: name, tensors: tensors, attributes: attributes)
    }
}
