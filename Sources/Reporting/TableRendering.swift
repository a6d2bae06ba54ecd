import Foundation

/// The four text forms of a comparison table.
enum TableRendering {
    /// A cell as text: whether it is a number, its display text (rounded), and its exact text.
    private struct Cell {
        var isNumber = false
        var display = ""
        var exact = ""
        var isMissing = true
    }

    /// Every cell of `table`, the row name first, numbers formatted per column.
    private static func cells(_ table: ComparisonTable) -> (header: [String], rows: [[Cell]], numeric: [Bool]) {
        let formats = table.columns.indices.map { c in
            TableNumberFormat(column: table.columns[c], numbers: table.rows.compactMap { row in
                if case .number(let v)? = row.value(at: c), v.isFinite { return v } else { return nil }
            })
        }
        let rows = table.rows.map { row in
            [Cell(display: row.name, exact: row.name, isMissing: false)] + table.columns.indices.map { c -> Cell in
                switch row.value(at: c) {
                case .number(let v)? where v.isFinite:
                    return Cell(isNumber: true, display: formats[c].display(v), exact: formats[c].exact(v), isMissing: false)
                case .text(let s)?: return Cell(display: s, exact: s, isMissing: false)
                default: return Cell()
                }
            }
        }
        // A column is numeric (right-aligned) if it holds numbers and no text.
        let numeric = [false] + table.columns.indices.map { c in
            let present = rows.map { $0[c + 1] }.filter { !$0.isMissing }
            return !present.isEmpty && present.allSatisfy(\.isNumber)
        }
        return ([table.rowHeader] + table.columns.map(\.header), rows, numeric)
    }

    /// Aligned plain text: columns two spaces apart, a rule of dashes under the header.
    static func plain(_ table: ComparisonTable) -> String {
        let (header, rows, numeric) = cells(table)
        let texts = [header] + rows.map { $0.map { $0.isMissing ? "—" : oneLine($0.display) } }
        let widths = header.indices.map { c in texts.map { $0[c].count }.max() ?? 0 }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { c, field in
                let fill = String(repeating: " ", count: widths[c] - field.count)
                return numeric[c] ? fill + field : field + fill
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(texts[0]), rule] + texts.dropFirst().map(line)).joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV.
    static func csv(_ table: ComparisonTable) -> String {
        let (header, rows, _) = cells(table)
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let lines = [header.map(field)] + rows.map { $0.map { $0.isMissing ? "" : field($0.exact) } }
        return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A JSON array of objects, two-space indented.
    static func json(_ table: ComparisonTable) -> String {
        let keys = [table.rowHeader] + table.columns.map(\.name)
        let objects = table.rows.map { row -> String in
            let values = [jsonString(row.name)] + table.columns.indices.map { c -> String in
                switch row.value(at: c) {
                case .number(let v)? where v.isFinite: return TableNumberFormat.json(v)
                case .text(let s)?: return jsonString(s)
                default: return "null"
                }
            }
            let members = zip(keys, values).map { "    \(jsonString($0)): \($1)" }
            return "  {\n" + members.joined(separator: ",\n") + "\n  }"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// A GitHub-flavoured Markdown table; numeric columns right-aligned.
    static func markdown(_ table: ComparisonTable) -> String {
        let (header, rows, numeric) = cells(table)
        func escape(_ s: String) -> String {
            oneLine(s).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
        }
        func line(_ fields: [String]) -> String { "| " + fields.joined(separator: " | ") + " |" }
        let rule = "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined()
        return ([line(header.map(escape)), rule] + rows.map { line($0.map { $0.isMissing ? "—" : escape($0.display) }) })
            .joined(separator: "\n") + "\n"
    }

    /// `s` on one line: line breaks and tabs become spaces.
    private static func oneLine(_ s: String) -> String {
        String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }

    /// `s` as a JSON string literal.
    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
