/// A metric column of a comparison table.
public struct TableColumn: Sendable, Equatable {
    /// The metric's name, e.g. `"final accuracy"`; it is also the key in JSON output.
    public var name: String
    /// The unit, e.g. `"s"`, shown in parentheses in headers. `"%"` means the values are fractions
    /// (0.912) to be shown as percentages (91.2) in every format but JSON.
    public var unit: String?
    /// How many significant digits the smallest non-zero value of the column keeps in the `table`
    /// and `markdown` formats (all values of a column get the same number of decimals).
    public var significantDigits: Int

    /// A column.
    public init(_ name: String, unit: String? = nil, significantDigits: Int = 4) {
        self.name = name
        self.unit = unit
        self.significantDigits = significantDigits
    }

    /// The header: the name with the unit in parentheses, e.g. `"time (s)"`.
    public var header: String {
        guard let unit, !unit.isEmpty else { return name }
        return "\(name) (\(unit))"
    }

    /// Whether values are fractions shown as percentages.
    var isPercent: Bool { unit == "%" }
}
