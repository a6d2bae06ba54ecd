import CHDF5

/// Appends rows to an extendible table: an unlimited 1-d compound dataset, grown with
/// `H5Dset_extent` and written through a hyperslab. Rows become durable at the next file flush.
public final class TableWriter: H5Object {
    /// The columns in stored order.
    public let columns: [ColumnSpec]
    /// The number of rows in the table.
    public private(set) var rowCount: Int
    private let layout: RowLayout
    private let memoryType: H5Handle
    private let transfer: H5Handle

    init(dataset: H5Handle, layout: RowLayout, rowCount: Int, filePath: String, path: String) throws {
        self.columns = layout.columns
        self.layout = layout
        self.memoryType = try layout.memoryType(file: filePath, object: path)
        self.transfer = try layout.transferList(file: filePath)
        self.rowCount = rowCount
        super.init(handle: dataset, filePath: filePath, path: path)
    }

    /// Appends one row: one value per column, in column order.
    public func append(_ row: [RowValue]) throws {
        try append(rows: [row])
    }

    /// Appends several rows in one write. Every row is checked before anything is written.
    public func append(rows: [[RowValue]]) throws {
        H5.silence()
        guard isOpen else {
            throw StorageError(kind: .closed, path: filePath, object: path, message: "table is closed")
        }
        let converted = try rows.map(convert)
        guard !converted.isEmpty else { return }
        let operation = "cannot append to \(path)"
        var extent = [hsize_t(rowCount + rows.count)]
        try H5.check(H5Dset_extent(handle.id, &extent), operation, file: filePath)
        do {
            let fileSpace = try H5Handle(H5Dget_space(handle.id), .dataspace, operation, file: filePath)
            defer { fileSpace.close() }
            var start = [hsize_t(rowCount)], count = [hsize_t(rows.count)]
            try H5.check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, &start, nil, &count, nil), operation, file: filePath)
            let memorySpace = try H5Handle.dataspace([rows.count], file: filePath)
            defer { memorySpace.close() }
            _ = try layout.withPacked(converted) { buffer in
                try H5.check(H5Dwrite(handle.id, memoryType.id, memorySpace.id, fileSpace.id, transfer.id, buffer),
                             operation, file: filePath)
            }
        } catch {
            var previous = [hsize_t(rowCount)]
            _ = H5Dset_extent(handle.id, &previous)  // best effort: drop the unwritten rows
            _ = H5Eclear2(ch5_e_default())
            throw error
        }
        rowCount += rows.count
    }

    /// Closes the table (its dataset, row type and transfer list).
    public override func close() {
        memoryType.close()
        transfer.close()
        super.close()
    }

    /// The row with every value converted to its column's type, or an error naming the column.
    private func convert(_ row: [RowValue]) throws -> [RowValue] {
        guard row.count == columns.count else {
            throw StorageError(kind: .rowArity, path: filePath, object: path,
                               message: "row has \(row.count) values, expected \(columns.count) "
                                   + "(\(columns.map(\.name).joined(separator: ", ")))")
        }
        return try zip(row, columns).map { value, column in
            guard let converted = value.converted(to: column.type) else {
                throw StorageError(kind: .columnType, path: filePath, object: path,
                                   message: "column '\(column.name)' expects \(column.type), got \(value)")
            }
            return converted
        }
    }
}
