/// A table comparing runs or strategies (rows) on metrics (columns), rendered as plain text, CSV,
/// JSON or Markdown.
public struct ComparisonTable: Sendable, Equatable {
    /// The header of the first column, which holds the row names.
    public var rowHeader: String
    /// The metric columns.
    public var columns: [TableColumn]
    /// The rows, in display order.
    public var rows: [TableRow]

    /// A table.
    public init(rowHeader: String = "run", columns: [TableColumn], rows: [TableRow]) {
        self.rowHeader = rowHeader
        self.columns = columns
        self.rows = rows
    }

    /// The table in `format`, ending with a line break.
    public func render(_ format: TableFormat) -> String {
        switch format {
        case .table: return TableRendering.plain(self)
        case .csv: return TableRendering.csv(self)
        case .json: return TableRendering.json(self)
        case .markdown: return TableRendering.markdown(self)
        }
    }
}
