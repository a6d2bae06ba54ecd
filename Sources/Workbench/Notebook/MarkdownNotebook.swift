/// A Markdown notebook split into an ordered list of parts: prose, fenced code blocks and
/// `aiotwin` output regions. Concatenating the ``Part/text`` of every part gives back the
/// original text byte for byte (line endings included).
///
/// Fences follow CommonMark: 3 or more backticks or tildes, indented by at most 3 spaces; the
/// closing fence uses the same character, is at least as long, and carries nothing but
/// trailing spaces or tabs; a backtick fence's info string may not contain a backtick. Content
/// lines lose up to as many leading spaces as the opening fence is indented. Unlike CommonMark,
/// an unterminated fence is an error (``NotebookError/unterminatedCodeBlock(file:line:)``).
/// Container blocks (block quotes, list items beyond 3 spaces) are not interpreted: their
/// lines are prose. Lines end with `\n` or `\r\n`; a lone `\r` is not a line break.
///
/// An output region is the lines from a `<!-- aiotwin:output -->` line to the next
/// `<!-- /aiotwin:output -->` line (each indented at most 3 spaces; whitespace inside the
/// comment is not significant) that is not inside a fenced block of the region, so printed
/// text that contains the end marker cannot cut a region short.
public struct MarkdownNotebook: Equatable, Sendable {
    /// The shape of a code fence.
    public struct Fence: Equatable, Sendable {
        /// The fence character.
        public enum Kind: String, Equatable, Sendable {
            /// Backticks, `` ``` ``.
            case backtick = "`"
            /// Tildes, `~~~`.
            case tilde = "~"
        }

        /// Backticks or tildes.
        public var kind: Kind
        /// How many fence characters (3 or more).
        public var length: Int
        /// Spaces before the fence (0 to 3).
        public var indent: Int

        /// A fence of `length` `kind` characters indented by `indent` spaces.
        public init(kind: Kind, length: Int, indent: Int = 0) {
            self.kind = kind
            self.length = length
            self.indent = indent
        }

        /// The fence characters, e.g. ```` ```` ```` or `~~~`.
        public var marker: String { String(repeating: kind.rawValue, count: length) }
    }

    /// A fenced code block.
    public struct CodeBlock: Equatable, Sendable {
        /// The opening fence (the closing one is the same character and at least as long).
        public var fence: Fence
        /// The whole info string after the opening fence, trimmed (`lua {skip}`).
        public var info: String
        /// The info string's first word, up to whitespace or `{` (`lua`); may be empty.
        public var language: String
        /// The words inside `{…}` groups of the info string, split at whitespace and commas, a
        /// leading `.` removed: `lua {skip}` and `lua {.skip}` both give `["skip"]`.
        public var attributes: [String]
        /// The code lines (fence indentation removed) joined by `\n`, without a final newline.
        public var code: String
        /// The 1-based lines of the block, opening fence to closing fence.
        public var lines: ClosedRange<Int>
        /// The block's source text, fences and line endings included.
        public var text: String

        /// The 1-based line number of the first code line (the line after the opening fence,
        /// even when the block is empty).
        public var firstCodeLine: Int { lines.lowerBound + 1 }
        /// Whether this is a Lua block: the language is `lua`, in any case.
        public var isLua: Bool { language.lowercased() == "lua" }
        /// Whether the block has the attribute `skip` (any case): it is then never executed.
        public var isSkipped: Bool { attributes.contains { $0.lowercased() == "skip" } }
    }

    /// An output region, markers included.
    public struct OutputRegion: Equatable, Sendable {
        /// The 1-based lines of the region, start marker to end marker.
        public var lines: ClosedRange<Int>
        /// The lines between the markers, as written (line endings included).
        public var content: String
        /// The region's source text, markers and line endings included.
        public var text: String
    }

    /// Lines that are neither a code block nor an output region.
    public struct Prose: Equatable, Sendable {
        /// The 1-based lines.
        public var lines: ClosedRange<Int>
        /// The source text, line endings included.
        public var text: String
        /// Whether every line is empty or only spaces and tabs.
        public var isBlank: Bool
    }

    /// One part of a notebook.
    public enum Part: Equatable, Sendable {
        /// Prose (anything else, blank lines included).
        case prose(Prose)
        /// A fenced code block of any language.
        case code(CodeBlock)
        /// An `aiotwin` output region.
        case output(OutputRegion)

        /// The part's source text, line endings included.
        public var text: String {
            switch self {
            case let .prose(p): return p.text
            case let .code(c): return c.text
            case let .output(o): return o.text
            }
        }

        /// The part's 1-based lines.
        public var lines: ClosedRange<Int> {
            switch self {
            case let .prose(p): return p.lines
            case let .code(c): return c.lines
            case let .output(o): return o.lines
            }
        }
    }

    /// The file name used in error messages.
    public let fileName: String
    /// The parts, in file order.
    public let parts: [Part]
    /// The source lines.
    let sourceLines: [SourceLine]

    /// Parses `text`; `fileName` (as it should appear in messages) names the file in errors.
    /// - Throws: ``NotebookError`` for an unterminated code block or output region.
    public init(text: String, fileName: String = "notebook.md") throws(NotebookError) {
        try self.init(lines: SourceLine.split(text), fileName: fileName)
    }

    init(lines: [SourceLine], fileName: String) throws(NotebookError) {
        self.fileName = fileName
        self.sourceLines = lines
        self.parts = try Self.parse(lines, fileName: fileName)
    }

    /// Every fenced code block, in order.
    public var codeBlocks: [CodeBlock] {
        parts.compactMap { if case let .code(c) = $0 { return c } else { return nil } }
    }

    /// The Lua blocks (skipped ones included), in order.
    public var luaBlocks: [CodeBlock] { codeBlocks.filter(\.isLua) }

    /// Every output region, in order (attached to a Lua block or not).
    public var outputRegions: [OutputRegion] {
        parts.compactMap { if case let .output(o) = $0 { return o } else { return nil } }
    }

    // MARK: - Parsing

    static let startMarkerWord = "aiotwin:output"
    static let endMarkerWord = "/aiotwin:output"

    private static func parse(_ lines: [SourceLine], fileName: String) throws(NotebookError) -> [Part] {
        var parts: [Part] = []
        var proseStart: Int?
        func flushProse(before end: Int) {
            guard let start = proseStart else { return }
            let slice = lines[start..<end]
            parts.append(.prose(Prose(lines: (start + 1)...end, text: SourceLine.join(slice),
                                      isBlank: slice.allSatisfy { isBlank($0.content) })))
            proseStart = nil
        }

        var i = 0
        while i < lines.count {
            let line = lines[i].content
            if let (fence, info) = openingFence(line) {
                var j = i + 1
                while j < lines.count, !isClosingFence(lines[j].content, for: fence) { j += 1 }
                guard j < lines.count else { throw .unterminatedCodeBlock(file: fileName, line: i + 1) }
                flushProse(before: i)
                let (language, attributes) = parseInfo(info)
                let code = lines[(i + 1)..<j].map { stripIndent($0.content, upTo: fence.indent) }
                    .joined(separator: "\n")
                parts.append(.code(CodeBlock(fence: fence, info: info, language: language,
                                             attributes: attributes, code: code,
                                             lines: (i + 1)...(j + 1),
                                             text: SourceLine.join(lines[i...j]))))
                i = j + 1
            } else if isMarker(line, startMarkerWord) {
                guard let j = regionEnd(lines, start: i) else {
                    throw .unterminatedOutputRegion(file: fileName, line: i + 1)
                }
                flushProse(before: i)
                parts.append(.output(OutputRegion(lines: (i + 1)...(j + 1),
                                                  content: SourceLine.join(lines[(i + 1)..<j]),
                                                  text: SourceLine.join(lines[i...j]))))
                i = j + 1
            } else {
                if proseStart == nil { proseStart = i }
                i += 1
            }
        }
        flushProse(before: lines.count)
        return parts
    }

    /// The index of the end marker of the region starting at `start`: the first one outside a
    /// fenced block of the region, else (hand-edited region with a broken fence) the first one.
    private static func regionEnd(_ lines: [SourceLine], start: Int) -> Int? {
        var open: Fence?
        for j in (start + 1)..<max(start + 1, lines.count) {
            let line = lines[j].content
            if let fence = open {
                if isClosingFence(line, for: fence) { open = nil }
            } else if isMarker(line, endMarkerWord) {
                return j
            } else if let (fence, _) = openingFence(line) {
                open = fence
            }
        }
        return ((start + 1)..<max(start + 1, lines.count)).first { isMarker(lines[$0].content, endMarkerWord) }
    }

    /// Number of leading spaces.
    private static func leadingSpaces(_ bytes: [UInt8]) -> Int {
        bytes.prefix { $0 == 0x20 }.count
    }

    /// The fence and trimmed info string if `line` opens a fenced code block.
    static func openingFence(_ line: String) -> (Fence, String)? {
        let bytes = Array(line.utf8)
        let indent = leadingSpaces(bytes)
        guard indent <= 3, indent < bytes.count else { return nil }
        let kind: Fence.Kind
        switch bytes[indent] {
        case UInt8(ascii: "`"): kind = .backtick
        case UInt8(ascii: "~"): kind = .tilde
        default: return nil
        }
        let length = bytes[indent...].prefix { $0 == bytes[indent] }.count
        guard length >= 3 else { return nil }
        let rest = bytes[(indent + length)...]
        if kind == .backtick, rest.contains(UInt8(ascii: "`")) { return nil }
        let info = trim(String(decoding: rest, as: UTF8.self))
        return (Fence(kind: kind, length: length, indent: indent), info)
    }

    /// Whether `line` closes a block opened by `fence`.
    static func isClosingFence(_ line: String, for fence: Fence) -> Bool {
        let bytes = Array(line.utf8)
        let indent = leadingSpaces(bytes)
        guard indent <= 3 else { return false }
        let char = UInt8(ascii: fence.kind == .backtick ? "`" : "~")
        let length = bytes[indent...].prefix { $0 == char }.count
        guard length >= fence.length else { return false }
        return bytes[(indent + length)...].allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// Whether `line` is `<!-- word -->`, indented at most 3 spaces.
    static func isMarker(_ line: String, _ word: String) -> Bool {
        guard leadingSpaces(Array(line.utf8)) <= 3 else { return false }
        let trimmed = trim(line)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return false }
        return trim(String(trimmed.dropFirst(4).dropLast(3))) == word
    }

    /// Splits an info string into its language and `{…}` attributes.
    static func parseInfo(_ info: String) -> (String, [String]) {
        let language = String(info.prefix { !($0 == " " || $0 == "\t" || $0 == "{") })
        var attributes: [String] = []
        var rest = info.dropFirst(language.count)
        while let open = rest.firstIndex(of: "{") {
            let close = rest[open...].firstIndex(of: "}") ?? rest.endIndex
            let group = rest[rest.index(after: open)..<close]
            for word in group.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                let attribute = word.hasPrefix(".") ? String(word.dropFirst()) : String(word)
                if !attribute.isEmpty { attributes.append(attribute) }
            }
            rest = close < rest.endIndex ? rest[rest.index(after: close)...] : rest[rest.endIndex...]
        }
        return (language, attributes)
    }

    /// Removes up to `count` leading spaces.
    static func stripIndent(_ line: String, upTo count: Int) -> String {
        let spaces = min(count, line.prefix { $0 == " " }.count)
        return String(line.dropFirst(spaces))
    }

    /// Whether a line is empty or only spaces and tabs.
    static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Removes leading and trailing spaces and tabs.
    static func trim(_ s: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = s.firstIndex(where: { !isSpace($0) }),
              let last = s.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(s[first...last])
    }
}

/// One line of a file: its content and its terminator (`"\n"`, `"\r\n"`, or `""` for a last
/// line without one).
struct SourceLine: Equatable, Sendable {
    var content: String
    var ending: String

    /// Splits `text` at `\n`; a `\r` before it belongs to the ending. A final line without a
    /// terminator gets the ending `""`; an empty text has no lines.
    static func split(_ text: String) -> [SourceLine] {
        let bytes = Array(text.utf8)
        var lines: [SourceLine] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            var end = i
            var ending = "\n"
            if end > start, bytes[end - 1] == 0x0D {
                end -= 1
                ending = "\r\n"
            }
            lines.append(SourceLine(content: String(decoding: bytes[start..<end], as: UTF8.self), ending: ending))
            start = i + 1
        }
        if start < bytes.count {
            lines.append(SourceLine(content: String(decoding: bytes[start...], as: UTF8.self), ending: ""))
        }
        return lines
    }

    /// The lines' text, endings included.
    static func join<S: Sequence>(_ lines: S) -> String where S.Element == SourceLine {
        var text = ""
        for line in lines {
            text += line.content
            text += line.ending
        }
        return text
    }
}
