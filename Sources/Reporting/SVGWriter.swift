import Foundation

/// Builds an SVG document line by line, escaping every text and attribute value.
struct SVGWriter {
    private(set) var lines: [String] = []
    private var depth = 0

    /// Appends an element; attributes whose value is `nil` are left out.
    mutating func element(_ name: String, _ attributes: [(String, String?)], text: String? = nil) {
        let head = "<\(name)\(Self.attributeList(attributes))"
        if let text {
            append("\(head)>\(Self.escape(text))</\(name)>")
        } else {
            append("\(head)/>")
        }
    }

    /// Opens an element that later elements go into, until `close`.
    mutating func open(_ name: String, _ attributes: [(String, String?)] = []) {
        append("<\(name)\(Self.attributeList(attributes))>")
        depth += 1
    }

    /// Closes the element opened last.
    mutating func close(_ name: String) {
        depth = max(0, depth - 1)
        append("</\(name)>")
    }

    /// Appends a text element in the frame's style: `anchor` is start, middle or end; `rotation`
    /// turns it (degrees, clockwise) about its anchor point.
    mutating func text(_ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
                       className: String? = nil, bold: Bool = false, rotation: Double = 0, color: String = "#222") {
        let transform = rotation == 0 ? nil : "rotate(\(num(rotation)) \(num(x)) \(num(y)))"
        element("text", [("class", className), ("x", num(x)), ("y", num(y)), ("font-size", num(size)),
                         ("text-anchor", anchor == "start" ? nil : anchor), ("font-weight", bold ? "600" : nil),
                         ("fill", color), ("transform", transform)], text: content)
    }

    /// The document: the root `svg` element around everything appended.
    func document(width: Double, height: Double, fontFamily: String = "sans-serif") -> String {
        let root = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(num(width))\" height=\"\(num(height))\" "
            + "viewBox=\"0 0 \(num(width)) \(num(height))\" font-family=\"\(fontFamily)\" role=\"img\">"
        return (["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", root] + lines + ["</svg>", ""]).joined(separator: "\n")
    }

    private mutating func append(_ line: String) {
        lines.append(String(repeating: "  ", count: depth + 1) + line)
    }

    private static func attributeList(_ attributes: [(String, String?)]) -> String {
        attributes.compactMap { key, value in value.map { " \(key)=\"\(escape($0))\"" } }.joined()
    }

    /// `text` with XML's special characters escaped and characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v >= 0x20 && v != 0xFFFE && v != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// A coordinate or length for an SVG attribute: at most two decimals, no trailing zeros, no `-0`.
func num(_ value: Double) -> String { SVGNumber.format(value) }

/// Formatting of SVG coordinates.
enum SVGNumber {
    /// `value` rounded to two decimals, without trailing zeros; non-finite values become 0.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if abs(rounded) < 1e15, rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
