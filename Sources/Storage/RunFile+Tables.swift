extension RunFile {
    /// The writer of metrics table `/metrics/<name>`, created on first use. Asking again returns
    /// the same writer; asking with different columns throws `.schemaMismatch`.
    public func metrics(_ name: String, columns: [ColumnSpec]) throws -> TableWriter {
        H5.silence()
        try validate(name, as: "table")
        return try table(name, in: "/metrics", columns: columns)
    }

    /// Appends a row to `/events` (columns `round`, `time_s`, `kind`, `detail`; detail is JSON text).
    public func logEvent(round: Int64, time: Double, kind: String, detail: String) throws {
        H5.silence()
        try table("events", in: "/", columns: RunEvent.columns).append([.int64(round), .float64(time), .string(kind), .string(detail)])
    }

    /// The names of the tables under `/metrics`, in creation order.
    public var tableNames: [String] {
        get throws {
            H5.silence()
            let root = try root()
            guard try root.contains("metrics") else { return [] }
            let metrics = try root.group("metrics")
            defer { metrics.close() }
            return try metrics.children().compactMap { child in
                if case .dataset(_, .compound) = child.kind { return child.name }
                return nil
            }
        }
    }

    /// Reads metrics table `/metrics/<name>` column-wise.
    public func readTable(_ name: String) throws -> TableData {
        H5.silence()
        try validate(name, as: "table")
        return try root().readTable("/metrics/\(name)")
    }

    /// The rows of `/events`, in order; empty if no event was logged.
    public var events: [RunEvent] {
        get throws {
            H5.silence()
            let root = try root()
            guard try root.contains("events") else { return [] }
            let table = try root.readTable("events")
            guard let rounds = table["round"]?.int64s, let times = table["time_s"]?.float64s,
                  let kinds = table["kind"]?.strings, let details = table["detail"]?.strings else {
                throw RunFileError(kind: .malformed, path: path,
                                   message: "/events lacks the columns round (int64), time_s (float64), kind, detail (string)")
            }
            return (0..<table.rowCount).map {
                RunEvent(round: rounds[$0], time: times[$0], kind: kinds[$0], detail: details[$0])
            }
        }
    }
}
