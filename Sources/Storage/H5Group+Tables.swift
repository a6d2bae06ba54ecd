import CHDF5

extension H5Group {
    /// Creates the extendible table `name` (an empty, unlimited 1-d compound dataset with chunks of
    /// `chunkRows` rows) and returns its writer.
    public func createTable(_ name: String, columns: [ColumnSpec], chunkRows: Int = 256) throws -> TableWriter {
        H5.silence()
        let full = childPath(name)
        let operation = "cannot create table \(full)"
        if let problem = Self.columnProblem(columns) {
            throw StorageError(kind: .invalidName, path: filePath, object: full, message: problem)
        }
        guard chunkRows > 0 else {
            throw StorageError(kind: .invalidArgument, path: filePath, object: full, message: "chunkRows must be positive")
        }
        let layout = RowLayout(columns)
        let fileType = try layout.fileType(file: filePath, object: full)
        defer { fileType.close() }
        let space = try H5Handle.dataspace([0], maxShape: [nil], file: filePath)
        defer { space.close() }
        let dcpl = try H5Handle.propertyList(ch5_p_dataset_create(), file: filePath)
        defer { dcpl.close() }
        var chunk = [hsize_t(chunkRows)]
        try H5.check(H5Pset_chunk(dcpl.id, 1, &chunk), operation, file: filePath)
        let id = H5Dcreate2(handle.id, name, fileType.id, space.id, ch5_p_default(), dcpl.id, ch5_p_default())
        return try TableWriter(dataset: try H5Handle(id, .dataset, operation, file: filePath), layout: layout,
                               rowCount: 0, filePath: filePath, path: full)
    }

    /// Opens the existing table `name` for appending.
    public func openTable(_ name: String) throws -> TableWriter {
        H5.silence()
        let table = try openTableDataset(name)
        return try TableWriter(dataset: table.handle, layout: table.layout, rowCount: table.rows,
                               filePath: filePath, path: table.path)
    }

    /// Reads the whole table `name` column-wise.
    public func readTable(_ name: String) throws -> TableData {
        H5.silence()
        let table = try openTableDataset(name)
        defer { table.handle.close() }
        let operation = "cannot read table \(table.path)"
        let memoryType = try table.layout.memoryType(file: filePath, object: table.path)
        defer { memoryType.close() }
        let space = try H5Handle(H5Dget_space(table.handle.id), .dataspace, operation, file: filePath)
        defer { space.close() }
        let byteCount = max(1, table.rows * table.layout.stride)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        if table.rows > 0 {
            try H5.check(H5Dread(table.handle.id, memoryType.id, ch5_s_all(), ch5_s_all(), ch5_p_default(), buffer),
                         operation, file: filePath)
        }
        defer { if table.rows > 0 { _ = H5Dvlen_reclaim(memoryType.id, space.id, ch5_p_default(), buffer) } }
        return TableData(schema: table.layout.columns, columns: table.layout.unpack(buffer, count: table.rows),
                     rowCount: table.rows)
    }

    /// Opens dataset `name` and checks that it is a 1-d compound dataset this module can read.
    private func openTableDataset(_ name: String) throws -> (handle: H5Handle, layout: RowLayout, rows: Int, path: String) {
        let full = childPath(name)
        let operation = "cannot open table \(full)"
        let dataset = try H5Handle(H5Dopen2(handle.id, name, ch5_p_default()), .dataset, operation, file: filePath)
        let type = try H5Handle(H5Dget_type(dataset.id), .datatype, operation, file: filePath)
        defer { type.close() }
        let space = try H5Handle(H5Dget_space(dataset.id), .dataspace, operation, file: filePath)
        defer { space.close() }
        let (shape, rows) = try H5.extent(of: space.id, file: filePath, object: full)
        let elementType = H5ElementType(type: type.id)
        guard elementType == .compound, shape.count == 1 else {
            throw StorageError(kind: .unsupportedType, path: filePath, object: full,
                               message: "not a table (a \(elementType) dataset of shape \(shape))")
        }
        return (dataset, try RowLayout(compound: type.id, file: filePath, object: full), rows, full)
    }

    /// Why `columns` cannot form a table, or nil.
    private static func columnProblem(_ columns: [ColumnSpec]) -> String? {
        if columns.isEmpty { return "a table needs at least one column" }
        if let empty = columns.first(where: { $0.name.isEmpty }) { return "empty column name (type \(empty.type))" }
        var seen = Set<String>()
        if let duplicate = columns.first(where: { !seen.insert($0.name).inserted }) {
            return "duplicate column '\(duplicate.name)'"
        }
        return nil
    }
}
