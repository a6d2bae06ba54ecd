import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// The in-memory layout of one table row: naturally aligned native fields (strings as `char *`),
/// and the matching HDF5 compound types.
struct RowLayout {
    let columns: [ColumnSpec]
    let offsets: [Int]
    let stride: Int

    init(_ columns: [ColumnSpec]) {
        var offsets: [Int] = []
        var end = 0
        for column in columns {
            let size = Self.size(of: column.type)
            let offset = (end + size - 1) / size * size
            offsets.append(offset)
            end = offset + size
        }
        self.columns = columns
        self.offsets = offsets
        self.stride = max(8, (end + 7) / 8 * 8)
    }

    /// The columns of a stored compound type: integers read as int64, 4-byte floats as float32,
    /// other floats as float64, variable-length strings as strings.
    init(compound type: hid_t, file: String, object: String) throws {
        let operation = "cannot read the columns of \(object)"
        let members = try H5.check(H5Tget_nmembers(type), operation, file: file)
        var columns: [ColumnSpec] = []
        for index in 0..<UInt32(members) {
            guard let cName = H5Tget_member_name(type, index) else {
                throw HDF5Error.takeStack(operation: operation, path: file)
            }
            let name = String(cString: cName)
            H5free_memory(cName)
            let member = try H5Handle(H5Tget_member_type(type, index), .datatype, operation, file: file)
            defer { member.close() }
            let unsupported = { (what: String) in
                StorageError(kind: .unsupportedType, path: file, object: object,
                             message: "column '\(name)' has unsupported type \(what)")
            }
            switch H5ElementType(type: member.id) {
            case .integer: columns.append(ColumnSpec(name, .int64))
            case .float(4): columns.append(ColumnSpec(name, .float32))
            case .float: columns.append(ColumnSpec(name, .float64))
            case .string:
                guard try H5.isTrue(H5Tis_variable_str(member.id), operation, file: file) else {
                    throw unsupported("fixed-length string")
                }
                columns.append(ColumnSpec(name, .string))
            case let other: throw unsupported("\(other)")
            }
        }
        self.init(columns)
    }

    /// The in-memory compound type.
    func memoryType(file: String, object: String) throws -> H5Handle {
        let operation = "cannot build the row type of \(object)"
        let type = try H5Handle(H5Tcreate(H5T_COMPOUND, stride), .datatype, operation, file: file)
        let string = try H5Handle.variableString(file: file)
        defer { string.close() }
        for (column, offset) in zip(columns, offsets) {
            let member: hid_t
            switch column.type {
            case .int64: member = ch5_native_int64()
            case .float64: member = ch5_native_double()
            case .float32: member = ch5_native_float()
            case .string: member = string.id
            }
            try H5.check(H5Tinsert(type.id, column.name, offset, member), operation, file: file)
        }
        return type
    }

    /// The stored compound type: the memory type without padding.
    func fileType(file: String, object: String) throws -> H5Handle {
        let type = try memoryType(file: file, object: object)
        try H5.check(H5Tpack(type.id), "cannot build the row type of \(object)", file: file)
        return type
    }

    /// A transfer property list with a small conversion buffer. Rows always need conversion (padding,
    /// strings), and HDF5 clears a whole conversion and background buffer (1 MiB each by default)
    /// on every write: that alone made a one-row append cost about 20 µs.
    func transferList(file: String) throws -> H5Handle {
        let list = try H5Handle.propertyList(ch5_p_dataset_xfer(), file: file)
        try H5.check(H5Pset_buffer(list.id, max(4096, 16 * stride), nil, nil), "cannot size the transfer buffer", file: file)
        return list
    }

    /// Calls `body` with `rows` (already converted to the column types) packed into a row buffer.
    func withPacked<R>(_ rows: [[RowValue]], _ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, rows.count * stride), alignment: 8)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, rows.count * stride))
        var copies: [UnsafeMutablePointer<CChar>?] = []
        defer {
            copies.forEach { free($0) }
            buffer.deallocate()
        }
        for (r, row) in rows.enumerated() {
            for (value, offset) in zip(row, offsets) {
                let at = r * stride + offset
                switch value {
                case let .int64(v): buffer.storeBytes(of: v, toByteOffset: at, as: Int64.self)
                case let .float64(v): buffer.storeBytes(of: v, toByteOffset: at, as: Double.self)
                case let .float32(v): buffer.storeBytes(of: v, toByteOffset: at, as: Float.self)
                case let .string(v):
                    copies.append(strdup(v))
                    buffer.storeBytes(of: UnsafePointer(copies[copies.count - 1]), toByteOffset: at,
                                      as: UnsafePointer<CChar>?.self)
                }
            }
        }
        return try body(buffer)
    }

    /// The columns of `count` rows in `buffer`.
    func unpack(_ buffer: UnsafeRawPointer, count: Int) -> [String: ColumnData] {
        var result: [String: ColumnData] = [:]
        for (column, offset) in zip(columns, offsets) {
            func load<T>(_: T.Type) -> [T] {
                (0..<count).map { buffer.load(fromByteOffset: $0 * stride + offset, as: T.self) }
            }
            switch column.type {
            case .int64: result[column.name] = .int64(load(Int64.self))
            case .float64: result[column.name] = .float64(load(Double.self))
            case .float32: result[column.name] = .float32(load(Float.self))
            case .string: result[column.name] = .string(load(UnsafePointer<CChar>?.self).map { $0.map { String(cString: $0) } ?? "" })
            }
        }
        return result
    }

    private static func size(of type: ColumnType) -> Int {
        switch type {
        case .int64, .float64: return 8
        case .float32: return 4
        case .string: return MemoryLayout<UnsafePointer<CChar>>.size
        }
    }
}
