import Foundation

/// A decimal number `mantissa × 10^exponent`, kept exact so that tick values and labels are the
/// round numbers they look like (0.3, never 0.30000000000000004).
struct DecimalStep: Equatable {
    var mantissa: Int
    var exponent: Int

    /// The smallest step of the form 1, 2 or 5 × 10^k that is at least `raw` (which must be
    /// positive and finite; anything else gives 1).
    static func nice(atLeast raw: Double) -> DecimalStep {
        guard raw.isFinite, raw > 0 else { return DecimalStep(mantissa: 1, exponent: 0) }
        var exponent = Int(floor(log10(raw)))
        let fraction = raw / power(exponent)
        let mantissa: Int
        switch fraction {
        case ...1.000_000_001: mantissa = 1
        case ...2.000_000_001: mantissa = 2
        case ...5.000_000_001: mantissa = 5
        default: mantissa = 1; exponent += 1
        }
        return DecimalStep(mantissa: mantissa, exponent: exponent)
    }

    /// The step as a Double.
    var value: Double { Self.scaled(Double(mantissa), exponent) }

    /// `k × step`, rounded once to the nearest Double.
    func multiple(_ k: Int) -> Double { Self.scaled(Double(k * mantissa), exponent) }

    /// `k × step` written out: fixed-point with the step's decimals, or in e-notation (`2.5e6`).
    func label(ofMultiple k: Int, scientific: Bool) -> String {
        scientific ? Self.scientific(k * mantissa, exponent) : Self.fixed(k * mantissa, exponent)
    }

    /// `n × 10^e` as a Double with one rounding: dividing by an exact power of ten is correctly
    /// rounded, multiplying by 0.1 is not.
    static func scaled(_ n: Double, _ e: Int) -> Double {
        e >= 0 ? n * power(e) : n / power(-e)
    }

    /// `n × 10^e` in fixed-point notation with `max(0, -e)` decimals.
    static func fixed(_ n: Int, _ e: Int) -> String {
        if n == 0 { return e >= 0 ? "0" : "0." + String(repeating: "0", count: -e) }
        if e >= 0 { return String(n) + String(repeating: "0", count: e) }
        var digits = String(n.magnitude)
        let decimals = -e
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -decimals)
        return (n < 0 ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    /// `n × 10^e` in e-notation without trailing zeros, e.g. `2.5e6`, `1e-4`; zero is `0`.
    static func scientific(_ n: Int, _ e: Int) -> String {
        guard n != 0 else { return "0" }
        var digits = String(n.magnitude)
        var e = e
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast(); e += 1 }
        let exponent = e + digits.count - 1
        let mantissa = digits.count > 1 ? "\(digits.first ?? "0").\(digits.dropFirst())" : digits
        return (n < 0 ? "-" : "") + mantissa + "e\(exponent)"
    }

    private static func power(_ e: Int) -> Double { pow(10, Double(e)) }
}
