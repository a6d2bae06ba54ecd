/// An output format of a comparison table.
public enum TableFormat: String, Sendable, CaseIterable {
    /// Aligned plain text with a rule under the header, for terminals: numbers right-aligned and
    /// rounded to the column's significant digits, missing values as `—`.
    case table
    /// RFC 4180 CSV (CRLF line ends, fields with commas, quotes or line breaks quoted, quotes
    /// doubled): full-precision numbers in the header's unit, missing values empty.
    case csv
    /// A JSON array of objects, one per row, keys in column order: numbers as JSON numbers in the
    /// values' own unit (fractions for `%` columns), missing values as `null`.
    case json
    /// A GitHub-flavoured Markdown table (`|` in cells escaped), numbers as in `table`.
    case markdown
}
