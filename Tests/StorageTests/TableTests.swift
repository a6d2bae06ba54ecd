import Storage
import Testing

@Suite("Extendible tables")
struct TableTests {
    static let columns = [ColumnSpec("round", .int64), ColumnSpec("loss", .float64),
                          ColumnSpec("acc", .float32), ColumnSpec("note", .string)]

    @Test("rows appended one or a few at a time read back column-wise, bit-identically")
    func roundTrip() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        let table = try file.rootGroup().requireGroup("metrics").createTable("global", columns: Self.columns, chunkRows: 4)
        var generator = SplitMix64(seed: 11)
        var expected: [[RowValue]] = []
        for round in 0..<10 {
            let row: [RowValue] = [.int64(Int64(round)), .float64(Double.random(in: 0..<1, using: &generator)),
                                     .float32(Float.random(in: 0..<1, using: &generator)), .string("r\(round) ✓ ünïcode")]
            try table.append(row)
            expected.append(row)
        }
        let batch: [[RowValue]] = [[10, 0.5, .float32(0.25), ""], [11, -1e300, .float32(.nan), "last"]]
        try table.append(rows: batch)
        expected += batch
        #expect(table.rowCount == 12)
        table.close()
        try file.close()

        let read = try H5File.open(path: path).rootGroup().readTable("metrics/global")
        #expect(read.schema == Self.columns)
        #expect(read.rowCount == 12)
        #expect(read["round"] == .int64(expected.map { if case let .int64(v) = $0[0] { v } else { -1 } }))
        #expect(read["loss"] == .float64(expected.map { if case let .float64(v) = $0[1] { v } else { -1 } }))
        #expect(read["acc"]?.float32s.map(bits) == bits(expected.map { if case let .float32(v) = $0[2] { v } else { -1 } }))
        #expect(read["note"] == .string(expected.map { if case let .string(v) = $0[3] { v } else { "?" } }))
    }

    @Test("an empty table reads as empty columns, and a table can be reopened for appending")
    func emptyAndReopen() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        _ = try file.rootGroup().createTable("t", columns: Self.columns)
        try file.close()
        let empty = try H5File.open(path: path).rootGroup().readTable("t")
        #expect(empty.rowCount == 0)
        #expect(empty["note"] == .string([]))

        let writable = try H5File.open(path: path, mode: .readWrite)
        let table = try writable.rootGroup().openTable("t")
        #expect(table.columns == Self.columns)
        try table.append([1, 2.0, 3.0, "x"])
        try table.append([2, 4.0, 6.0, "y"])
        table.close()
        try writable.close()
        let read = try H5File.open(path: path).rootGroup().readTable("t")
        #expect(read["round"] == .int64([1, 2]))
        #expect(read["acc"] == .float32([3, 6]))
    }

    @Test("wrong arity or cell type is refused with the table and column named, and nothing is written")
    func validation() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        let table = try file.rootGroup().requireGroup("metrics").createTable("global", columns: Self.columns)
        let arity = try #require(throws: StorageError.self) { try table.append([1, 0.5]) }
        #expect(arity.kind == .rowArity)
        #expect(arity.description == "\(path): /metrics/global: row has 2 values, expected 4 (round, loss, acc, note)")
        let type = try #require(throws: StorageError.self) {
            try table.append(rows: [[1, 0.5, 0.5, "ok"], [2, "oops", 0.5, "x"]])
        }
        #expect(type.kind == .columnType)
        #expect(type.description == "\(path): /metrics/global: column 'loss' expects float64, got string \"oops\"")
        let integer = try #require(throws: StorageError.self) { try table.append([1.5, 0.5, 0.5, "x"]) }
        #expect(integer.description.hasSuffix("column 'round' expects int64, got float64 1.5"))
        #expect(table.rowCount == 0)
        #expect(try file.rootGroup().readTable("metrics/global").rowCount == 0)
    }

    @Test("duplicate or empty column names and empty schemas are refused")
    func badSchemas() throws {
        let root = try H5File.create(path: try Scratch.file()).rootGroup()
        for columns in [[ColumnSpec("a", .int64), ColumnSpec("a", .string)], [ColumnSpec("", .int64)], []] {
            let error = try #require(throws: StorageError.self) { try root.createTable("t", columns: columns) }
            #expect(error.kind == .invalidName)
        }
    }
}
