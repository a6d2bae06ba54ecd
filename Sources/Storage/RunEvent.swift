/// One row of a run's `/events` table.
public struct RunEvent: Hashable, Sendable {
    /// The round it happened in.
    public var round: Int64
    /// Seconds since the run started (`time_s`).
    public var time: Double
    /// What happened, e.g. `node_removed`.
    public var kind: String
    /// Details as JSON text (stored as given, not validated).
    public var detail: String

    /// An event.
    public init(round: Int64, time: Double, kind: String, detail: String) {
        self.round = round
        self.time = time
        self.kind = kind
        self.detail = detail
    }

    /// The columns of the `/events` table.
    static let columns = [ColumnSpec("round", .int64), ColumnSpec("time_s", .float64),
                          ColumnSpec("kind", .string), ColumnSpec("detail", .string)]
}
