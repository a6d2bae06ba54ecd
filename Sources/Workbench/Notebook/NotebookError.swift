/// Why a Markdown notebook cannot be parsed. The description is one line, `FILE:LINE: message`,
/// the form editors and terminals turn into a link to the line.
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A fenced code block (of any language) whose opening fence, at `line` (1-based), has no
    /// closing fence before the end of the file.
    case unterminatedCodeBlock(file: String, line: Int)
    /// A `<!-- aiotwin:output -->` marker, at `line` (1-based), without a matching
    /// `<!-- /aiotwin:output -->` after it.
    case unterminatedOutputRegion(file: String, line: Int)

    /// `FILE:LINE: unterminated code block` or `FILE:LINE: unterminated output region`.
    public var description: String {
        switch self {
        case let .unterminatedCodeBlock(file, line): return "\(file):\(line): unterminated code block"
        case let .unterminatedOutputRegion(file, line): return "\(file):\(line): unterminated output region"
        }
    }
}
