import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG document parsed with Foundation's XMLParser, flattened to its elements.
struct SVGDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        /// The `class` attributes of the enclosing elements, innermost last.
        var enclosingClasses: [String]

        func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
        func isInside(_ className: String) -> Bool { enclosingClasses.contains(className) }
    }

    var elements: [Element] = []

    /// Parses `text`; throws if it is not well-formed XML.
    init(_ text: String) throws {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse(), delegate.error == nil else {
            throw ParseError(message: "\(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber)")
        }
        elements = delegate.elements
    }

    struct ParseError: Error { var message: String }

    var root: Element? { elements.first }

    /// The elements named `name`, optionally only those inside an element of class `inside`.
    func all(_ name: String, inside className: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (className.map($0.isInside) ?? true) }
    }

    /// Paths drawing series, in document order.
    var seriesPaths: [Element] { all("path").filter { $0.attributes["class"] == "series" } }

    /// The texts of the legend entries.
    var legendLabels: [String] { all("text", inside: "legend").map(\.text) }

    /// The tick labels of an axis, "x-ticks" or "y-ticks".
    func tickLabels(_ axis: String) -> [String] { all("text", inside: axis).map(\.text) }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var stack: [(index: Int, className: String?)] = []
        var error: Error?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(Element(name: name, attributes: attributes, text: "",
                                    enclosingClasses: stack.compactMap(\.className)))
            stack.append((elements.count - 1, attributes["class"]))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let top = stack.last { elements[top.index].text += string }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
    }
}

/// Checks on tick values shared by the tests.
enum TickCheck {
    /// Whether `step` is 1, 2 or 5 times a power of ten.
    static func isNiceStep(_ step: Double) -> Bool {
        guard step > 0, step.isFinite else { return false }
        let mantissa = step / pow(10, floor(log10(step)))
        return [1.0, 2.0, 5.0, 10.0].contains { abs(mantissa - $0) < 1e-9 * $0 }
    }

    /// Whether `values` are evenly spaced by a nice step; returns the step.
    static func niceStep(of values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        let step = values[1] - values[0]
        for (a, b) in zip(values, values.dropFirst()) where abs((b - a) - step) > 1e-9 * max(abs(step), abs(b)) {
            return nil
        }
        return isNiceStep(step) ? step : nil
    }

    /// The number of digits after the decimal point of a plain decimal label.
    static func decimals(_ label: String) -> Int {
        label.split(separator: ".").dropFirst().first.map { $0.prefix { $0.isNumber }.count } ?? 0
    }
}
