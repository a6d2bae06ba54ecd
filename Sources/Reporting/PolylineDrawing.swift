/// Draws one series as a single SVG `path` through pixel positions, shared by line and CDF plots.
enum PolylineDrawing {
    /// Draws `positions` as one path (class `series`); a `nil` position breaks the line. Points
    /// with no neighbour on either side get a dot, as do all points if the style asks for markers.
    /// A series with no drawable point still gets its (empty) path, so paths match series one to one.
    static func draw(_ positions: [(Double, Double)?], name: String, style: ResolvedStyle, into svg: inout SVGWriter) {
        var d = "", previous: (Double, Double)?
        var dots: [(Double, Double)] = []
        for (i, position) in positions.enumerated() {
            guard let (x, y) = position else { previous = nil; continue }
            d += (previous == nil ? "M" : "L") + "\(num(x)) \(num(y))"
            let hasNext = i + 1 < positions.count && positions[i + 1] != nil
            if style.showsMarkers ?? (previous == nil && !hasNext) { dots.append((x, y)) }
            previous = (x, y)
        }
        svg.element("path", [("class", "series"), ("data-name", name), ("d", d.isEmpty ? nil : d), ("fill", "none"),
                             ("stroke", style.color), ("stroke-width", num(style.lineWidth)), ("stroke-dasharray", style.dashArray),
                             ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
        for (x, y) in dots {
            svg.element("circle", [("class", "marker"), ("cx", num(x)), ("cy", num(y)), ("r", num(style.lineWidth + 1.5)),
                                   ("fill", style.color)])
        }
    }
}
