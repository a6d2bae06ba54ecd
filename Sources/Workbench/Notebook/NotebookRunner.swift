/// A Lua block as handed to the executor.
public struct NotebookBlock: Equatable, Sendable {
    /// The block's 0-based position among all Lua blocks of the notebook, skipped ones
    /// included (so it does not shift when a `{skip}` is added or removed elsewhere).
    public let index: Int
    /// The code, fence indentation removed, lines joined by `\n`.
    public let code: String
    /// The 1-based line of the Markdown file holding the first code line.
    public let firstLine: Int
    /// The notebook's file name, as given to ``NotebookRunner/run(text:fileName:options:execute:)``.
    public let fileName: String
    /// The block's info-string attributes (see ``MarkdownNotebook/CodeBlock/attributes``).
    public let attributes: [String]

    /// A block; normally made by ``NotebookRunner``.
    public init(index: Int, code: String, firstLine: Int, fileName: String = "notebook.md",
                attributes: [String] = []) {
        self.index = index
        self.code = code
        self.firstLine = firstLine
        self.fileName = fileName
        self.attributes = attributes
    }

    /// The code to load as a Lua chunk. `padded` (the default) prefixes it with
    /// `firstLine - 1` newlines, so that a chunk named after the Markdown file reports errors
    /// and tracebacks at the right line of the file.
    public func source(padded: Bool = true) -> String {
        padded ? String(repeating: "\n", count: max(0, firstLine - 1)) + code : code
    }
}

/// Runs a Markdown notebook's Lua blocks and writes their outputs back below them.
///
/// - Lua blocks (info string's first word `lua`, any case) run in file order through the
///   caller's executor, which owns the Lua state (one per notebook). Other blocks are never
///   executed nor changed.
/// - The output regions *attached* to a Lua block are those that follow it separated only by
///   blank lines (several are collapsed into one). After a block runs, they are replaced by the
///   rendering of its output, or removed, together with the blank lines before them, when it
///   has nothing to show. A new region is inserted after one blank line. Regions not attached
///   to a Lua block are left as they are.
/// - A block with the attribute `skip` (`lua {skip}`) is not executed and its attached regions
///   are kept untouched: whatever they show stays until the attribute is removed.
/// - The first block whose output has an ``BlockOutput/error`` (or whose executor throws: the
///   error's description becomes the message) gets its output written, error included, and
///   stops the run: later blocks are not executed and their regions are left untouched, so
///   they keep showing the previous run's results.
/// - Everything outside the replaced regions is preserved byte for byte. New lines use the
///   block's line ending (`\n` or `\r\n`), and are indented like the block's fence (up to 3
///   spaces, for blocks in list items). A file without a final newline still has none.
/// - Deterministic and idempotent: running the result again with the same outputs gives the
///   same text.
public enum NotebookRunner {
    /// Runs the notebook `text`.
    ///
    /// - Parameters:
    ///   - text: The Markdown.
    ///   - fileName: The file as it should appear in messages (`notebooks-md/fl.md`).
    ///   - options: Rendering options (durations hidden by default).
    ///   - execute: Runs one Lua block; a thrown error counts as a failed block.
    /// - Returns: `updated`, the new Markdown; `outputs`, one per executed block in order;
    ///   `failedBlock`, the ``NotebookBlock/index`` of the block that stopped the run, if any.
    /// - Throws: ``NotebookError`` when the Markdown cannot be parsed (nothing is executed).
    public static func run(
        text: String, fileName: String, options: NotebookRenderOptions = .init(),
        execute: (NotebookBlock) throws -> BlockOutput
    ) throws(NotebookError) -> (updated: String, outputs: [BlockOutput], failedBlock: Int?) {
        var lines = SourceLine.split(text)
        let defaultEnding = lines.first { !$0.ending.isEmpty }?.ending ?? "\n"
        // Work as if the file ended with a newline; take it off again at the end.
        let addedFinalEnding = lines.last.map { $0.ending.isEmpty } ?? false
        if addedFinalEnding { lines[lines.count - 1].ending = defaultEnding }

        let notebook = try MarkdownNotebook(lines: lines, fileName: fileName)
        let parts = notebook.parts

        var replacements: [(range: Range<Int>, lines: [SourceLine])] = []
        var outputs: [BlockOutput] = []
        var failedBlock: Int?
        var luaIndex = 0

        for (p, part) in parts.enumerated() {
            guard case let .code(block) = part, block.isLua else { continue }
            let index = luaIndex
            luaIndex += 1
            if block.isSkipped { continue }

            let output: BlockOutput
            do {
                output = try execute(NotebookBlock(index: index, code: block.code,
                                                   firstLine: block.firstCodeLine,
                                                   fileName: fileName, attributes: block.attributes))
            } catch {
                output = .failure(String(describing: error))
            }
            outputs.append(output)

            // 0-based line indices: the line after the closing fence, the attached regions.
            let afterBlock = block.lines.upperBound
            let attached = attachedRegions(parts, after: p)
            let ending = lines[block.lines.lowerBound - 1].ending
            let indent = String(repeating: " ", count: block.fence.indent)
            let rendered = NotebookOutputRenderer.region(for: output, options: options).map { region in
                region.map { SourceLine(content: $0.isEmpty ? "" : indent + $0, ending: ending) }
            }

            switch (rendered, attached) {
            case let (region?, (first, last)?):
                replacements.append(((first.lowerBound - 1)..<last.upperBound, region))
            case let (region?, nil):
                replacements.append((afterBlock..<afterBlock, [SourceLine(content: "", ending: ending)] + region))
            case let (nil, (_, last)?):
                replacements.append((afterBlock..<last.upperBound, []))
            case (nil, nil):
                break
            }

            if output.failed {
                failedBlock = index
                break
            }
        }

        var result: [SourceLine] = []
        var next = 0
        for replacement in replacements {
            result += lines[next..<replacement.range.lowerBound]
            result += replacement.lines
            next = replacement.range.upperBound
        }
        result += lines[next...]
        if addedFinalEnding, !result.isEmpty { result[result.count - 1].ending = "" }
        return (SourceLine.join(result), outputs, failedBlock)
    }

    /// The 1-based lines of the first and last output regions attached to the code block at
    /// `parts[p]`: those after it separated only by blank prose.
    private static func attachedRegions(_ parts: [MarkdownNotebook.Part], after p: Int)
        -> (ClosedRange<Int>, ClosedRange<Int>)? {
        var first: ClosedRange<Int>?
        var last: ClosedRange<Int>?
        var k = p + 1
        while k < parts.count {
            switch parts[k] {
            case let .output(region):
                if first == nil { first = region.lines }
                last = region.lines
                k += 1
                continue
            case let .prose(prose) where prose.isBlank:
                if k + 1 < parts.count, case .output = parts[k + 1] {
                    k += 1
                    continue
                }
            default:
                break
            }
            break
        }
        guard let first, let last else { return nil }
        return (first, last)
    }
}
