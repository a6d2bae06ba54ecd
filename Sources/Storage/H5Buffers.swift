import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Moving numbers and strings between Swift arrays and HDF5 read/write buffers.
extension H5 {
    /// The native HDF5 type for `T`, or a `StorageError` for a conformance this module cannot map.
    static func nativeType<T: HDF5Numeric>(_: T.Type, file: String, object: String) throws -> hid_t {
        guard let type = T.elementType.nativeType else {
            throw StorageError(kind: .unsupportedType, path: file, object: object,
                               message: "no native HDF5 type for \(T.elementType)")
        }
        return type
    }

    /// Reads `count` numbers converted by HDF5 to `T`; `read(memoryType, buffer)` does the call.
    static func readNumbers<T: HDF5Numeric>(_: T.Type, count: Int, _ operation: String, file: String, object: String,
                                           read: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [T] {
        guard count > 0 else { return [] }
        let type = try nativeType(T.self, file: file, object: object)
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: count * MemoryLayout<T>.stride,
                                                         alignment: MemoryLayout<T>.alignment)
        defer { raw.deallocate() }
        guard let base = raw.baseAddress else { return [] }
        try check(read(type, base), operation, file: file)
        return Array(UnsafeBufferPointer(start: base.bindMemory(to: T.self, capacity: count), count: count))
    }

    /// Reads `count` strings, fixed- or variable-length, stored with `fileType` over `space`.
    static func readStrings(fileType: hid_t, space: hid_t, count: Int, _ operation: String, file: String,
                            read: (hid_t, UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
        guard count > 0 else { return [] }
        let memory = try H5Handle(H5Tget_native_type(fileType, H5T_DIR_DEFAULT), .datatype, operation, file: file)
        defer { memory.close() }
        if try isTrue(H5Tis_variable_str(memory.id), operation, file: file) {
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try pointers.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                try check(read(memory.id, base), operation, file: file)
            }
            defer { _ = H5Dvlen_reclaim(memory.id, space, ch5_p_default(), &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let width = H5Tget_size(memory.id)
        var bytes = [UInt8](repeating: 0, count: max(1, width * count))
        try bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            try check(read(memory.id, base), operation, file: file)
        }
        return (0..<count).map { i in
            let slot = bytes[i * width ..< (i + 1) * width]
            return String(decoding: slot.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// Calls `body` with a C array of `strdup`ed copies of `strings` (what HDF5 expects for
    /// variable-length strings), freeing them afterwards. Text after an embedded NUL is dropped.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafeRawPointer?) throws -> R) rethrows -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return try copies.withUnsafeBytes { raw in try body(raw.baseAddress) }
    }

    /// The extent of a dataspace: `[]` for scalar, and the number of elements.
    static func extent(of space: hid_t, file: String, object: String) throws -> (shape: [Int], count: Int) {
        let rank = try check(H5Sget_simple_extent_ndims(space), "cannot read the shape of \(object)", file: file)
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 {
            try check(H5Sget_simple_extent_dims(space, &dims, nil), "cannot read the shape of \(object)", file: file)
        }
        let count = try check(H5Sget_simple_extent_npoints(space), "cannot read the shape of \(object)", file: file)
        return (dims.map { Int($0) }, Int(count))
    }
}
