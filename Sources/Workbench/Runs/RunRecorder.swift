import Foundation
import Learning
import Scripting
import Storage

/// A run file being written from a script: tables whose columns are fixed by their first row,
/// events stamped with the current round and elapsed time, snapshots, and a final status.
///
/// Every logged row is flushed, so a killed run keeps every completed round (a flush costs
/// about 10 µs per row).
public final class RunRecorder {
    /// The underlying file.
    public let file: RunFile
    /// The run's name (file name without extension unless given).
    public let name: String
    private var tables: [String: (writer: TableWriter, columns: [ColumnSpec])] = [:]
    private let start = Date()
    /// The last `round` value logged, used to stamp events.
    private(set) var round: Int64 = 0
    /// Whether `finish` was called.
    public private(set) var isFinished = false

    /// Columns holding integers when the first value is an integer; every other number is float64.
    static let integerColumns: Set<String> = ["round", "epoch", "step", "local_round", "client", "clients", "participants",
                                              "asked", "succeeded", "failed", "samples", "count", "requests", "id", "index"]

    /// Creates the run file `path`.
    public init(path: String, name: String, metadata: RunMetadata, configurationJSON: String?, overwrite: Bool) throws {
        var metadata = metadata
        metadata.extra["name"] = name
        file = try RunFile.create(path: path, metadata: metadata, overwrite: overwrite)
        self.name = name
        if let configurationJSON { try file.setConfiguration(json: configurationJSON) }
    }

    /// Seconds since the run started.
    public var elapsed: Double { Date().timeIntervalSince(start) }

    /// Appends `row` (column name → value) to metrics table `table`, creating it on first use.
    func log(_ table: String, _ row: LuaTable) throws {
        guard !isFinished else { throw WorkbenchError.invalidInput("run '\(name)' is finished; cannot log to '\(table)'") }
        var fields: [String: LuaValue] = [:]
        for (k, v) in row.hash {
            guard let key = k.stringValue else { throw WorkbenchError.invalidInput("log '\(table)': column names must be strings, found \(k)") }
            fields[key] = v
        }
        guard row.array.isEmpty, !fields.isEmpty else {
            throw WorkbenchError.invalidInput("log '\(table)': the row must be a table of named values, e.g. {round = 1, accuracy = 0.9}")
        }
        if tables[table] == nil {
            let first = ["round", "time_s"].filter { fields[$0] != nil }
            let names = first + fields.keys.filter { !first.contains($0) }.sorted()
            let columns = try names.map { name -> ColumnSpec in
                switch fields[name] ?? .nil {
                case .integer where Self.integerColumns.contains(name): return ColumnSpec(name, .int64)
                case .integer, .number: return ColumnSpec(name, .float64)
                case .boolean: return ColumnSpec(name, .int64)
                case .string: return ColumnSpec(name, .string)
                case let other: throw WorkbenchError.invalidInput("log '\(table)': column '\(name)' must be a number, boolean or string, got \(other.typeName)")
                }
            }
            tables[table] = (try file.metrics(table, columns: columns), columns)
        }
        guard let (writer, columns) = tables[table] else { return }
        if let extra = fields.keys.first(where: { k in !columns.contains { $0.name == k } }) {
            throw WorkbenchError.invalidInput("log '\(table)': unknown column '\(extra)' (the table's columns are \(columns.map(\.name).joined(separator: ", ")))")
        }
        let values = try columns.map { c -> RowValue in
            let v = fields[c.name] ?? .nil
            switch c.type {
            case .int64:
                if let b = v.boolValue { return .int64(b ? 1 : 0) }
                guard let i = v.intValue else { throw columnError(table, c, v) }
                return .int64(Int64(i))
            case .float64, .float32:
                if v.isNil { return .float64(.nan) }  // a value not measured this time
                guard let d = v.doubleValue else { throw columnError(table, c, v) }
                return .float64(d)
            case .string:
                guard let s = v.stringValue else { throw columnError(table, c, v) }
                return .string(s)
            }
        }
        try writer.append(values)
        if let r = fields["round"]?.intValue { round = Int64(r) }
        try file.flush()
    }

    private func columnError(_ table: String, _ column: ColumnSpec, _ value: LuaValue) -> WorkbenchError {
        .invalidInput("log '\(table)': column '\(column.name)' holds \(column.type == .int64 ? "integers" : column.type.rawValue == "string" ? "strings" : "numbers"), got \(value.isNil ? "nothing" : "\(value)")")
    }

    /// Records an event with a detail (a table becomes JSON).
    func event(_ kind: String, detail: LuaValue, round: Int64?) throws {
        let text = detail.stringValue ?? (detail.isNil ? "{}" : LuaJSON.text(detail))
        try file.logEvent(round: round ?? self.round, time: elapsed, kind: kind, detail: text)
        try file.flush()
    }

    /// Stores `model` as snapshot `name`.
    func snapshot(_ name: String, model: Model, round: Int64?) throws {
        try file.writeSnapshot(name: name, model: model, attributes: ["round": .int64(round ?? self.round)])
    }

    /// Marks the run completed or failed and closes it; later calls do nothing.
    public func finish(_ status: RunStatus) throws {
        guard !isFinished else { return }
        isFinished = true
        try file.finish(status: status)
    }

    /// The row count and last row of every table of the run file at `path` (for summaries).
    public static func summary(of path: String) throws -> [(table: String, rows: Int, last: [(String, String)])] {
        let file = try RunFile.open(path: path)
        defer { try? file.close() }
        return try file.tableNames.map { name in
            let data = try file.readTable(name)
            let last: [(String, String)] = data.rowCount == 0 ? [] : data.schema.map { spec in
                let text: String
                switch data[spec.name] {
                case let .int64(v)?: text = String(v[data.rowCount - 1])
                case let .float64(v)?: text = FileInspector.number(v[data.rowCount - 1])
                case let .float32(v)?: text = FileInspector.number(Double(v[data.rowCount - 1]))
                case let .string(v)?: text = v[data.rowCount - 1]
                case nil: text = ""
                }
                return (spec.name, text)
            }
            return (name, data.rowCount, last)
        }
    }
}
