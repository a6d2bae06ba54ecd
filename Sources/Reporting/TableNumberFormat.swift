import Foundation

/// How the numbers of one column are written: rounded for people, in full for programs.
struct TableNumberFormat {
    private let decimals: Int
    private let scientific: Bool
    private let percent: Bool

    /// The format of `column`, given its finite numbers (before percentage scaling): as many
    /// decimals as the smallest non-zero magnitude needs for the column's significant digits (at
    /// most 9), none for whole numbers, e-notation below 1e-4 or from 1e9 on.
    init(column: TableColumn, numbers: [Double]) {
        let percent = column.isPercent
        self.percent = percent
        let magnitudes = numbers.map { abs(percent ? $0 * 100 : $0) }.filter { $0 > 0 }
        let digits = min(17, max(1, column.significantDigits))
        let smallest = magnitudes.min() ?? 1, largest = magnitudes.max() ?? 1
        scientific = smallest < 1e-4 || largest >= 1e9
        if scientific {
            decimals = digits - 1
        } else if magnitudes.allSatisfy({ $0 == $0.rounded() }) {
            decimals = 0
        } else {
            decimals = min(9, max(0, digits - 1 - Int(floor(log10(smallest)))))
        }
    }

    /// `value` in the header's unit, rounded for display; zero is `0`.
    func display(_ value: Double) -> String {
        let v = percent ? value * 100 : value
        if v == 0 { return "0" }
        let text = String(format: scientific ? "%.\(decimals)e" : "%.\(decimals)f", v)
        // "-0.00" is zero.
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// `value` in the header's unit at full precision (percentages freed of the scaling's
    /// rounding noise: 0.912 becomes 91.2, not 91.19999999999999).
    func exact(_ value: Double) -> String {
        Self.json(percent ? (Double(String(format: "%.15g", value * 100)) ?? value * 100) : value)
    }

    /// A finite number as JSON writes it: whole numbers without a fraction, others in the
    /// shortest form that reads back to the same Double.
    static func json(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
