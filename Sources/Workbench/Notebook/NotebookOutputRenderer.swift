import Foundation

/// How outputs are rendered.
public struct NotebookRenderOptions: Equatable, Sendable {
    /// Whether to show each block's ``BlockOutput/duration`` (as `*ran in 0.123 s*`). Off by
    /// default: durations change from run to run, and re-runs should be byte-identical when the
    /// results are.
    public var showsDurations: Bool

    /// Options; durations are hidden by default.
    public init(showsDurations: Bool = false) {
        self.showsDurations = showsDurations
    }
}

/// Renders a ``BlockOutput`` as the Markdown of an output region. Pure and deterministic: the
/// same output always gives the same lines.
///
/// A region, in this order (each part only when present):
///
///     <!-- aiotwin:output -->
///     *ran in 0.123 s*                  ← only with showsDurations
///     ```text                           ← printed text, as printed
///     hello
///     ```
///     ```text                           ← returned values, one `=> ` per value
///     => 42
///     => line 1 of a multi-line value
///        line 2
///     ```
///     ![alt](plots/loss.svg)            ← one line per image
///     > **error:** nb.md:12: attempt to call a nil value
///     <!-- /aiotwin:output -->
///
/// Printed text and returned values are separate blocks, so a printed line that starts with
/// `=> ` is never mistaken for a value. Each fence is a run of backticks longer than any
/// backtick run in its content (at least 3), so content containing ```` ``` ```` cannot close
/// it. Every line outside a fence starts with `!`, `>` or `*`, so no content can ever look like
/// the end marker.
public enum NotebookOutputRenderer {
    /// The line opening an output region.
    public static let startMarker = "<!-- aiotwin:output -->"
    /// The line closing an output region.
    public static let endMarker = "<!-- /aiotwin:output -->"

    /// The lines between the markers (without line endings); empty when there is nothing to
    /// show, in which case no region is written.
    public static func body(for output: BlockOutput, options: NotebookRenderOptions = .init()) -> [String] {
        var lines: [String] = []
        if options.showsDurations, let duration = output.duration {
            lines.append("*ran in \(String(format: "%.3f", duration)) s*")
        }
        if !output.text.isEmpty {
            lines += fenced(textLines(output.text))
        }
        if !output.values.isEmpty {
            var valueLines: [String] = []
            for value in output.values {
                for (n, line) in textLines(value).enumerated() {
                    valueLines.append(n == 0 ? (line.isEmpty ? "=>" : "=> \(line)") : (line.isEmpty ? "" : "   \(line)"))
                }
            }
            lines += fenced(valueLines)
        }
        for image in output.images {
            lines.append("![\(escapeAlt(image.alt))](\(destination(image.path)))")
        }
        if let error = output.error {
            let messageLines = textLines(error)
            let first = messageLines.first ?? ""
            lines.append(first.isEmpty ? "> **error:**" : "> **error:** \(first)")
            for line in messageLines.dropFirst() {
                lines.append(line.isEmpty ? ">" : "> \(line)")
            }
        }
        return lines
    }

    /// The whole region, markers included (without line endings); `nil` when there is nothing
    /// to show.
    public static func region(for output: BlockOutput, options: NotebookRenderOptions = .init()) -> [String]? {
        let body = body(for: output, options: options)
        return body.isEmpty ? nil : [startMarker] + body + [endMarker]
    }

    /// A backtick fence longer than the longest backtick run in `text`, at least 3 long.
    public static func fence(for text: String) -> String {
        var longest = 0
        var run = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "`") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    // MARK: - Helpers

    /// `lines` inside a ```` ```text ```` block with a safe fence.
    private static func fenced(_ lines: [String]) -> [String] {
        let fence = fence(for: lines.joined(separator: "\n"))
        return ["\(fence)text"] + lines + [fence]
    }

    /// The lines of `text`: `\r\n` counts as `\n`, one final newline ends the last line
    /// rather than starting an empty one.
    private static func textLines(_ text: String) -> [String] {
        var normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        if normalized.hasSuffix("\n") { normalized.removeLast() }
        return normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Alternative text with `\`, `[` and `]` escaped and line breaks made spaces.
    private static func escapeAlt(_ alt: String) -> String {
        var out = ""
        for char in alt {
            switch char {
            case "\\", "[", "]": out += "\\\(char)"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(char)
            }
        }
        return out
    }

    /// A link destination: as is when plain, else in `<…>` (spaces, parentheses), with `<`,
    /// `>` and `\` escaped; line breaks become spaces.
    private static func destination(_ path: String) -> String {
        let flat = String(path.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
        let plain = !flat.isEmpty && !flat.contains { " \t()<>\\".contains($0) }
        if plain { return flat }
        var out = "<"
        for char in flat {
            if char == "<" || char == ">" || char == "\\" { out += "\\" }
            out.append(char)
        }
        return out + ">"
    }
}
