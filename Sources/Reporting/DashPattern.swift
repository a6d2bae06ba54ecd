/// A line's dash pattern, which tells series apart when colours run out or print in grey.
public enum DashPattern: Sendable, Equatable {
    /// A solid line.
    case solid
    /// Long dashes.
    case dashed
    /// Dots.
    case dotted
    /// Alternating dashes and dots.
    case dashDot
    /// Dash and gap lengths in pixels, as SVG's `stroke-dasharray`.
    case custom([Double])

    /// The value of `stroke-dasharray`, or `nil` for a solid line.
    var dashArray: String? {
        switch self {
        case .solid: return nil
        case .dashed: return "7 4"
        case .dotted: return "2 3"
        case .dashDot: return "8 3 2 3"
        case .custom(let lengths):
            let valid = lengths.filter { $0.isFinite && $0 >= 0 }
            return valid.contains { $0 > 0 } ? valid.map(SVGNumber.format).joined(separator: " ") : nil
        }
    }
}
