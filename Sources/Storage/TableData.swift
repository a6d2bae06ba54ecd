/// The contents of an extendible table, read column-wise.
public struct TableData: Hashable, Sendable {
    /// The columns in stored order.
    public let schema: [ColumnSpec]
    /// The values of every column, by column name.
    public let columns: [String: ColumnData]
    /// The number of rows.
    public let rowCount: Int

    /// The column called `name`, if any.
    public subscript(name: String) -> ColumnData? { columns[name] }
}
