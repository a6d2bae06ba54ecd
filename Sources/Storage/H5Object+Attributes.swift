import CHDF5

extension H5Object {
    /// Whether the object has an attribute called `name`.
    public func hasAttribute(_ name: String) throws -> Bool {
        H5.silence()
        return try H5.isTrue(H5Aexists(handle.id, name), "cannot look up attribute '\(name)' of \(path)", file: filePath)
    }

    /// The names of all attributes, sorted by name.
    public func attributeNames() throws -> [String] {
        H5.silence()
        var names: [String] = []
        _ = try withUnsafeMutablePointer(to: &names) { box in
            try H5.check(H5Aiterate2(handle.id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, data in
                guard let name, let data else { return -1 }
                data.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                return 0
            }, box), "cannot list attributes of \(path)", file: filePath)
        }
        return names
    }

    /// All attributes by name.
    public func attributes() throws -> [String: AttributeValue] {
        var result: [String: AttributeValue] = [:]
        for name in try attributeNames() { result[name] = try attribute(name) }
        return result
    }

    /// Reads attribute `name`. Integers come back as int64, floats as float64, strings (fixed or
    /// variable length) as `String`; a scalar dataspace gives a scalar case, any other an array case.
    public func attribute(_ name: String) throws -> AttributeValue {
        H5.silence()
        let operation = "cannot read attribute '\(name)' of \(path)"
        let attr = try H5Handle(H5Aopen(handle.id, name, ch5_p_default()), .attribute, operation, file: filePath)
        defer { attr.close() }
        let type = try H5Handle(H5Aget_type(attr.id), .datatype, operation, file: filePath)
        defer { type.close() }
        let space = try H5Handle(H5Aget_space(attr.id), .dataspace, operation, file: filePath)
        defer { space.close() }
        let scalar = H5Sget_simple_extent_type(space.id) == H5S_SCALAR
        let count = try H5.extent(of: space.id, file: filePath, object: path).count
        let read = { (memory: hid_t, buffer: UnsafeMutableRawPointer) in H5Aread(attr.id, memory, buffer) }
        switch H5ElementType(type: type.id) {
        case .string:
            let values = try H5.readStrings(fileType: type.id, space: space.id, count: count, operation,
                                            file: filePath, read: read)
            return scalar ? .string(values.first ?? "") : .strings(values)
        case .float:
            let values = try H5.readNumbers(Double.self, count: count, operation, file: filePath, object: path, read: read)
            return scalar ? .double(values.first ?? 0) : .doubles(values)
        case .integer:
            let values = try H5.readNumbers(Int64.self, count: count, operation, file: filePath, object: path, read: read)
            return scalar ? .int64(values.first ?? 0) : .int64s(values)
        case let other:
            throw StorageError(kind: .unsupportedType, path: filePath, object: path,
                               message: "attribute '\(name)' has unsupported type \(other)")
        }
    }

    /// Writes attribute `name`, replacing any existing attribute of that name.
    public func setAttribute(_ name: String, _ value: AttributeValue) throws {
        H5.silence()
        switch value {
        case let .string(text): try writeAttribute(name, strings: [text], shape: [])
        case let .strings(texts): try writeAttribute(name, strings: texts, shape: [texts.count])
        case let .double(number): try writeAttribute(name, numbers: [number], shape: [])
        case let .doubles(numbers): try writeAttribute(name, numbers: numbers, shape: [numbers.count])
        case let .int64(number): try writeAttribute(name, numbers: [number], shape: [])
        case let .int64s(numbers): try writeAttribute(name, numbers: numbers, shape: [numbers.count])
        }
    }

    /// Deletes attribute `name`.
    public func deleteAttribute(_ name: String) throws {
        H5.silence()
        try H5.check(H5Adelete(handle.id, name), "cannot delete attribute '\(name)' of \(path)", file: filePath)
    }

    private func writeAttribute<T: HDF5Numeric>(_ name: String, numbers: [T], shape: [Int]) throws {
        let type = try H5.nativeType(T.self, file: filePath, object: path)
        try numbers.withUnsafeBytes { try writeAttribute(name, type: type, shape: shape, data: $0.baseAddress) }
    }

    private func writeAttribute(_ name: String, strings: [String], shape: [Int]) throws {
        let type = try H5Handle.variableString(file: filePath)
        defer { type.close() }
        try H5.withCStrings(strings) { try writeAttribute(name, type: type.id, shape: shape, data: $0) }
    }

    private func writeAttribute(_ name: String, type: hid_t, shape: [Int], data: UnsafeRawPointer?) throws {
        let operation = "cannot write attribute '\(name)' of \(path)"
        if try hasAttribute(name) { try deleteAttribute(name) }
        let space = try H5Handle.dataspace(shape, file: filePath)
        defer { space.close() }
        let attr = try H5Handle(H5Acreate2(handle.id, name, type, space.id, ch5_p_default(), ch5_p_default()),
                                .attribute, operation, file: filePath)
        defer { attr.close() }
        if let data, shape.reduce(1, *) > 0 {
            try H5.check(H5Awrite(attr.id, type, data), operation, file: filePath)
        }
    }
}
