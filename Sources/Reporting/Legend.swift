/// One legend entry: a swatch in the series' style and its name.
struct LegendEntry {
    /// How the swatch looks: a short line (lines, CDFs) or a filled box (bars, histograms).
    enum Swatch { case line, box }

    var name: String
    var style: ResolvedStyle
    var swatch: Swatch
}

/// A legend laid out either as a column (to the right of the plot) or in wrapped rows (below it).
struct Legend {
    /// Which side of the plot area the legend is on.
    enum Side { case right, below }

    private static let swatchWidth = 22.0, swatchGap = 6.0, entryGap = 18.0

    let entries: [LegendEntry]
    let fontSize: Double

    /// The height of one entry.
    var rowHeight: Double { (fontSize * 1.5).rounded() }

    /// The width of the widest entry.
    var columnWidth: Double {
        entries.map { Self.swatchWidth + Self.swatchGap + TextMetrics.width($0.name, fontSize: fontSize) }.max() ?? 0
    }

    /// Where the legend goes: `placement` unless automatic, then right if its column is narrow
    /// enough (at most 28% of the width) and short enough, otherwise below.
    func side(for placement: LegendPlacement, width: Double, plotHeight: Double) -> Side? {
        guard !entries.isEmpty else { return nil }
        switch placement {
        case .hidden: return nil
        case .right: return .right
        case .below: return .below
        case .automatic:
            let fits = columnWidth <= 0.28 * width && Double(entries.count) * rowHeight <= plotHeight
            return fits ? .right : .below
        }
    }

    /// The entries, truncated to `maxWidth`, split into rows that each fit in `maxWidth`.
    func rows(maxWidth: Double) -> [[(entry: LegendEntry, width: Double)]] {
        var rows: [[(entry: LegendEntry, width: Double)]] = [[]]
        var used = 0.0
        let textRoom = max(20, maxWidth - Self.swatchWidth - Self.swatchGap)
        for var entry in entries {
            entry.name = TextMetrics.truncate(entry.name, toWidth: textRoom, fontSize: fontSize)
            let w = Self.swatchWidth + Self.swatchGap + TextMetrics.width(entry.name, fontSize: fontSize)
            if let last = rows.indices.last, !rows[last].isEmpty, used + Self.entryGap + w > maxWidth {
                rows.append([])
                used = 0
            }
            used += (used == 0 ? 0 : Self.entryGap) + w
            rows[rows.count - 1].append((entry, w))
        }
        return rows
    }

    /// Draws the legend as a column whose top-left corner is (`x`, `y`).
    func drawColumn(into svg: inout SVGWriter, x: Double, y: Double, maxWidth: Double) {
        svg.open("g", [("class", "legend")])
        let textRoom = max(20, maxWidth - Self.swatchWidth - Self.swatchGap)
        for (i, entry) in entries.enumerated() {
            let name = TextMetrics.truncate(entry.name, toWidth: textRoom, fontSize: fontSize)
            drawEntry(entry, name: name, into: &svg, x: x, centreY: y + (Double(i) + 0.5) * rowHeight)
        }
        svg.close("g")
    }

    /// Draws the legend as rows centred on `centreX`, the first row's top at `y`.
    func drawRows(into svg: inout SVGWriter, centreX: Double, y: Double, maxWidth: Double) {
        svg.open("g", [("class", "legend")])
        for (r, row) in rows(maxWidth: maxWidth).enumerated() {
            let total = row.map(\.width).reduce(0, +) + Self.entryGap * Double(max(0, row.count - 1))
            var x = centreX - total / 2
            for item in row {
                drawEntry(item.entry, name: item.entry.name, into: &svg, x: x, centreY: y + (Double(r) + 0.5) * rowHeight)
                x += item.width + Self.entryGap
            }
        }
        svg.close("g")
    }

    private func drawEntry(_ entry: LegendEntry, name: String, into svg: inout SVGWriter, x: Double, centreY: Double) {
        let s = entry.style
        switch entry.swatch {
        case .line:
            svg.element("line", [("x1", num(x)), ("y1", num(centreY)), ("x2", num(x + Self.swatchWidth)), ("y2", num(centreY)),
                                 ("stroke", s.color), ("stroke-width", num(min(s.lineWidth, 4))), ("stroke-dasharray", s.dashArray)])
        case .box:
            svg.element("rect", [("x", num(x + 3)), ("y", num(centreY - 6)), ("width", num(Self.swatchWidth - 6)), ("height", "12"),
                                 ("fill", s.color), ("fill-opacity", num(s.fillOpacity)), ("stroke", s.color),
                                 ("stroke-dasharray", s.dashArray)])
        }
        svg.text(name, x: x + Self.swatchWidth + Self.swatchGap, y: centreY + fontSize * 0.36, size: fontSize, className: "legend-label")
    }
}
