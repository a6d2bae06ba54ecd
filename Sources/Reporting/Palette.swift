/// The colours and dash patterns given to series that have no style of their own.
///
/// Colours are Okabe and Ito's colour-blind-safe palette (without its yellow, too pale on white),
/// in an order that keeps the first few far apart; past seven series the colours repeat with the
/// next dash pattern.
public enum Palette {
    /// Okabe–Ito blue, vermillion, bluish green, reddish purple, orange, sky blue and black.
    public static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    /// The dash patterns, one per round of colours.
    public static let dashes: [DashPattern] = [.solid, .dashed, .dotted, .dashDot]

    /// The style of the series at `index`, with the palette filling in what `style` leaves open.
    static func resolve(_ style: SeriesStyle?, index: Int) -> ResolvedStyle {
        let i = max(0, index)
        let round = i / colors.count
        return ResolvedStyle(
            color: style?.color ?? colors[i % colors.count],
            dashArray: (style?.dash ?? dashes[round % dashes.count]).dashArray,
            lineWidth: style?.lineWidth.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 2,
            fillOpacity: [0.85, 0.55, 0.35][round % 3],
            showsMarkers: style?.showsMarkers)
    }
}

/// A series style with every property decided.
struct ResolvedStyle {
    var color: String
    var dashArray: String?
    var lineWidth: Double
    /// The opacity of bar fills, lower for later rounds of colours.
    var fillOpacity: Double
    var showsMarkers: Bool?
}
