import Foundation
import Testing
import Reporting

@Suite("Comparison tables")
struct TableTests {
    static let table = ComparisonTable(
        columns: [TableColumn("final accuracy", unit: "%"), TableColumn("time to 85%", unit: "s"),
                  TableColumn("rounds"), TableColumn("note")],
        rows: [
            TableRow("fedavg", values: [0.9123, 412.5, 60, "baseline"]),
            TableRow("fedprox, μ=0.01", values: [0.8871, nil, 60, "say \"hi\"\nnew line"]),
            TableRow("adaptive | async", values: [0.93, 97.25, .number(.nan), nil]),
        ])

    /// A minimal RFC 4180 reader: records of fields, quoted fields may hold commas, quotes and line breaks.
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], field = "", record: [String] = [], quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\r\n" || c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    @Test("CSV quotes fields with commas, quotes and line breaks, and reads back to the values")
    func csvRoundTrip() throws {
        let csv = Self.table.render(.csv)
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.contains("\"fedprox, μ=0.01\""))
        #expect(csv.contains("\"say \"\"hi\"\"\nnew line\""))
        let records = Self.parseCSV(csv)
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0.count == 5 })
        #expect(records[0] == ["run", "final accuracy (%)", "time to 85% (s)", "rounds", "note"])
        #expect(records.dropFirst().map { $0[0] } == ["fedavg", "fedprox, μ=0.01", "adaptive | async"])
        #expect(records[2][4] == "say \"hi\"\nnew line")
        // Full precision in the header's unit; missing values are empty.
        #expect(Double(records[1][1]) == 91.23 && Double(records[1][2]) == 412.5 && records[1][3] == "60")
        #expect(records[2][2] == "" && records[3][3] == "" && records[3][4] == "")
        let precise = ComparisonTable(columns: [TableColumn("x")], rows: [TableRow("r", values: [.number(0.1 + 0.2)])])
        #expect(Double(Self.parseCSV(precise.render(.csv))[1][1]) == 0.1 + 0.2)
    }

    @Test("JSON is an array of objects with numbers as numbers and null for missing values")
    func json() throws {
        let text = Self.table.render(.json)
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 3)
        #expect(parsed[0]["run"] as? String == "fedavg")
        #expect((parsed[0]["final accuracy"] as? NSNumber)?.doubleValue == 0.9123)
        #expect((parsed[0]["rounds"] as? NSNumber)?.intValue == 60)
        #expect(parsed[1]["time to 85%"] is NSNull)
        #expect(parsed[1]["note"] as? String == "say \"hi\"\nnew line")
        #expect(parsed[2]["rounds"] is NSNull && parsed[2]["note"] is NSNull)
        #expect(parsed.allSatisfy { $0.count == 5 })
        // Keys keep column order.
        let first = try #require(text.range(of: "\"final accuracy\"")), last = try #require(text.range(of: "\"note\""))
        #expect(first.lowerBound < last.lowerBound)
        #expect(ComparisonTable(columns: [], rows: []).render(.json).trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test("Markdown escapes pipes and keeps every row's cell count")
    func markdown() {
        let lines = Self.table.render(.markdown).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 5)
        #expect(lines.contains { $0.contains("adaptive \\| async") })
        // Unescaped pipes delimit 5 cells on every line.
        for line in lines {
            #expect(line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 6, "\(line)")
        }
        #expect(lines[1] == "| --- | ---: | ---: | ---: | --- |")
    }

    @Test("the plain table aligns columns under a header rule: numbers right, text left")
    func plainAligned() throws {
        let lines = Self.table.render(.table).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        let rule = lines[1]
        #expect(rule.allSatisfy { $0 == "-" || $0 == " " })
        // Column spans from the rule.
        var spans: [Range<Int>] = [], start: Int?
        for (i, c) in Array(rule + " ").enumerated() {
            if c == "-", start == nil { start = i }
            if c == " ", let s = start { spans.append(s..<i); start = nil }
        }
        #expect(spans.count == 5)
        let numeric = [false, true, true, true, false]
        for line in [lines[0]] + lines.dropFirst(2) {
            let chars = Array(line)
            for (c, span) in spans.enumerated() {
                let cell = span.map { $0 < chars.count ? chars[$0] : " " }
                if numeric[c] { #expect(cell.last != " ", "\(line) column \(c)") } else { #expect(cell.first != " ", "\(line) column \(c)") }
                // Nothing spills into the gaps between columns.
                if span.upperBound < chars.count { #expect(chars[span.upperBound] == " ", "\(line)") }
            }
        }
    }

    @Test("numbers get the column's significant digits; % columns show percentages")
    func numberFormatting() throws {
        let lines = Self.table.render(.table).split(separator: "\n").map(String.init)
        // 91.23, 88.71, 93 → 4 significant digits of the smallest (88.71) → 2 decimals.
        #expect(lines[2].contains("91.23") && lines[3].contains("88.71") && lines[4].contains("93.00"))
        // 412.5 and 97.25 → 4 significant digits of 97.25 → 2 decimals; whole numbers get none.
        #expect(lines[2].contains("412.50") && lines[4].contains("97.25"))
        #expect(lines[2].contains(" 60 "))
        #expect(lines[3].contains("—"))
        let tiny = ComparisonTable(columns: [TableColumn("loss", significantDigits: 3)],
                                   rows: [TableRow("a", values: [0.000012345]), TableRow("b", values: [-0.0])])
        let text = tiny.render(.table)
        #expect(text.contains("1.23e-05"))
        #expect(text.split(separator: "\n").last?.split(separator: " ") == ["b", "0"])
    }
}
