/// One cell of a comparison table: a number or a text. Missing cells are `nil` in a row.
public enum TableValue: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    /// A number; a non-finite number is shown as missing.
    case number(Double)
    /// A text, shown as given.
    case text(String)

    /// A number cell from a literal such as `0.91`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A number cell from a literal such as `42`.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A text cell from a literal such as `"fedavg"`.
    public init(stringLiteral value: String) { self = .text(value) }
}
