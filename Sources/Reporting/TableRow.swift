/// A row of a comparison table: one run or strategy and its values.
public struct TableRow: Sendable, Equatable {
    /// The run's or strategy's name, shown in the first column.
    public var name: String
    /// One value per column, in column order; `nil`, or a row shorter than the columns, is missing.
    public var values: [TableValue?]

    /// A row.
    public init(_ name: String, values: [TableValue?]) {
        self.name = name
        self.values = values
    }

    /// The value of column `index`, or `nil` if missing.
    func value(at index: Int) -> TableValue? {
        index < values.count ? values[index] : nil
    }
}
