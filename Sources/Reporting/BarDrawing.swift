/// Draws one series of bars as a single SVG `path` of rectangles, shared by bar plots and histograms.
enum BarDrawing {
    /// Draws `rects` as one path (class `series`), filled in the style's colour; `outline` adds a
    /// border in the colour and dash pattern (for translucent, overlapping bars).
    static func draw(_ rects: [Rect], name: String, style: ResolvedStyle, outline: Bool, into svg: inout SVGWriter) {
        let d = rects.map { r in
            "M\(num(r.x)) \(num(r.maxY))V\(num(r.y))H\(num(r.maxX))V\(num(r.maxY))Z"
        }.joined()
        svg.element("path", [("class", "series"), ("data-name", name), ("d", d.isEmpty ? nil : d),
                             ("fill", style.color), ("fill-opacity", num(style.fillOpacity)),
                             ("stroke", outline ? style.color : "#ffffff"), ("stroke-width", outline ? "1.5" : "0.5"),
                             ("stroke-dasharray", outline ? style.dashArray : nil)])
    }
}
