import Foundation
import Testing
@testable import Workbench

/// A stand-in for the Lua executor: each code line is a command.
/// `print X` prints X, `return X` returns X, `image PATH ALT` shows an image, `fail MSG` fails
/// with MSG (prints before it are kept), `throw MSG` throws; anything else does nothing.
/// Every executed block is recorded.
private final class FakeExecutor: @unchecked Sendable {
    var executed: [NotebookBlock] = []
    var duration: Double?

    struct Thrown: Error, CustomStringConvertible {
        let description: String
    }

    func callAsFunction(_ block: NotebookBlock) throws -> BlockOutput {
        executed.append(block)
        var output = BlockOutput(duration: duration)
        for line in block.code.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let words = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
            guard let command = words.first else { continue }
            let argument = words.count > 1 ? words[1] : ""
            switch command {
            case "print": output.text += argument.replacingOccurrences(of: "\\n", with: "\n") + "\n"
            case "return": output.values.append(argument.replacingOccurrences(of: "\\n", with: "\n"))
            case "image":
                let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
                output.images.append(.init(path: parts[0], alt: parts.count > 1 ? parts[1] : ""))
            case "fail":
                output.error = argument.replacingOccurrences(of: "\\n", with: "\n")
                return output
            case "throw": throw Thrown(description: argument)
            default: break
            }
        }
        return output
    }
}

/// Runs `text` with a fresh fake executor.
private func run(_ text: String, file: String = "nb.md", options: NotebookRenderOptions = .init())
    throws -> (updated: String, outputs: [BlockOutput], failedBlock: Int?, executed: [NotebookBlock]) {
    let executor = FakeExecutor()
    let result = try NotebookRunner.run(text: text, fileName: file, options: options, execute: executor.callAsFunction)
    return (result.updated, result.outputs, result.failedBlock, executor.executed)
}

/// Occurrences of `needle` in `haystack`.
private func count(_ needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

@Suite("Markdown notebook parsing")
struct NotebookParsingTests {
    @Test("backtick and tilde fences, longer fences, closing fences at least as long")
    func fenceVariants() throws {
        let text = """
        # Title
        ```lua
        a = 1
        ```
        ~~~~ lua
        b = 2
        ~~~
        still code
        ~~~~~~
        ````lua
        ```
        not closed by three
        ````
        ```lua
        ~~~
        ```
        """
        let notebook = try MarkdownNotebook(text: text, fileName: "nb.md")
        let blocks = notebook.codeBlocks
        #expect(blocks.count == 4)
        #expect(blocks.map(\.fence.kind) == [.backtick, .tilde, .backtick, .backtick])
        #expect(blocks.map(\.fence.length) == [3, 4, 4, 3])
        #expect(blocks[0].code == "a = 1")
        #expect(blocks[1].code == "b = 2\n~~~\nstill code")
        #expect(blocks[2].code == "```\nnot closed by three")
        #expect(blocks[3].code == "~~~", "a tilde line does not close a backtick fence")
        #expect(blocks.map(\.lines) == [2...4, 5...9, 10...13, 14...16])
        #expect(notebook.parts.map(\.text).joined() == text, "parts concatenate to the original text")
    }

    @Test("fences indented up to 3 spaces; content loses that much indentation; 4 spaces is not a fence")
    func indentedFences() throws {
        let text = "   ```lua\n     x = 1\n y = 2\n  ```\n\n    ```lua\n    z = 3\n    ```\n"
        let notebook = try MarkdownNotebook(text: text)
        let blocks = notebook.codeBlocks
        #expect(blocks.count == 1)
        #expect(blocks[0].fence.indent == 3)
        #expect(blocks[0].code == "  x = 1\ny = 2")
        #expect(blocks[0].lines == 1...4)
    }

    @Test("info strings: the first word is the language, in any case; {…} groups are attributes")
    func infoStrings() throws {
        let text = """
        ```lua
        ```
        ```Lua {skip}
        ```
        ```LUA{.skip, other}
        ```
        ```luajit
        ```
        ```python
        ```
        ```
        ```
        ~~~ lua {skip} {key=value}
        ~~~
        ``` lua `x`
        """
        let blocks = try MarkdownNotebook(text: text).codeBlocks
        #expect(blocks.map(\.language) == ["lua", "Lua", "LUA", "luajit", "python", "", "lua"])
        #expect(blocks.map(\.isLua) == [true, true, true, false, false, false, true])
        #expect(blocks.map(\.isSkipped) == [false, true, true, false, false, false, true])
        #expect(blocks[2].attributes == ["skip", "other"])
        #expect(blocks[6].attributes == ["skip", "key=value"])
        #expect(blocks[6].info == "lua {skip} {key=value}")
        // The last line has a backtick in its info string: not a fence, so no unterminated error.
        #expect(try MarkdownNotebook(text: text).parts.last.map { if case .prose = $0 { true } else { false } } == true)
    }

    @Test("line numbers of the first code line, with LF and CRLF")
    func lineNumbers() throws {
        for ending in ["\n", "\r\n"] {
            let text = ["intro", "", "```lua", "x = 1", "```", "text", "```python", "p", "```", "```lua", "```", "```lua", "y"]
                .joined(separator: ending) + ending + "```" + ending
            let notebook = try MarkdownNotebook(text: text)
            #expect(notebook.luaBlocks.map(\.firstCodeLine) == [4, 11, 13])
            #expect(notebook.luaBlocks.map(\.code) == ["x = 1", "", "y"], "code has no \\r")
            #expect(notebook.parts.map(\.text).joined() == text)
        }
    }

    @Test("an unterminated fence is an error naming the file and the opening line")
    func unterminatedFence() {
        let text = "# t\n\n```lua\nprint(1)\n``\n~~~\n"
        #expect(throws: NotebookError.unterminatedCodeBlock(file: "nb.md", line: 3)) {
            try MarkdownNotebook(text: text, fileName: "nb.md")
        }
        #expect(NotebookError.unterminatedCodeBlock(file: "nb.md", line: 3).description
                == "nb.md:3: unterminated code block")
        // Non-Lua blocks too, and nothing is executed.
        let executor = FakeExecutor()
        #expect(throws: NotebookError.unterminatedCodeBlock(file: "x.md", line: 4)) {
            try NotebookRunner.run(text: "```lua\nprint a\n```\n~~~text\n", fileName: "x.md", execute: executor.callAsFunction)
        }
        #expect(executor.executed.isEmpty)
    }

    @Test("an output region without an end marker is an error")
    func unterminatedRegion() {
        #expect(throws: NotebookError.unterminatedOutputRegion(file: "nb.md", line: 4)) {
            try MarkdownNotebook(text: "```lua\n```\n\n<!-- aiotwin:output -->\nx\n", fileName: "nb.md")
        }
    }

    @Test("output regions: markers tolerate spacing; an end marker inside a fence does not end the region")
    func regions() throws {
        let text = """
        ```lua
        ```
        <!--aiotwin:output  -->
        ````text
        <!-- /aiotwin:output -->
        ```lua
        ````
        <!-- /aiotwin:output -->
        after
        """
        let notebook = try MarkdownNotebook(text: text)
        #expect(notebook.codeBlocks.count == 1, "a fence inside a region is not a code block")
        #expect(notebook.outputRegions.map(\.lines) == [3...8])
        #expect(notebook.outputRegions[0].content == "````text\n<!-- /aiotwin:output -->\n```lua\n````\n")
    }
}

@Suite("Notebook runs")
struct NotebookRunnerTests {
    @Test("only Lua blocks run, in order; other blocks and prose are untouched")
    func onlyLuaRuns() throws {
        let text = "# T\n\n```python\nprint no\n```\n\n```lua\nprint one\n```\n\n~~~\nprint no\n~~~\n\n```LUA\nprint two\n```\n"
        let result = try run(text)
        #expect(result.executed.map(\.code) == ["print one", "print two"])
        #expect(result.executed.map(\.index) == [0, 1])
        #expect(result.outputs.map(\.text) == ["one\n", "two\n"])
        #expect(result.failedBlock == nil)
        let before = try MarkdownNotebook(text: text)
        let after = try MarkdownNotebook(text: result.updated)
        #expect(after.codeBlocks.map(\.text) == before.codeBlocks.map(\.text))
        #expect(after.codeBlocks.filter { !$0.isLua }.map(\.text) == ["```python\nprint no\n```\n", "~~~\nprint no\n~~~\n"])
        #expect(result.updated.hasPrefix("# T\n\n```python\nprint no\n```\n\n```lua\nprint one\n```\n"))
    }

    @Test("outputs are inserted after the right blocks, one blank line after the fence")
    func insertion() throws {
        let text = "Intro\n\n```lua\nprint a\n```\n\nMiddle\n\n```lua\nx = 1\n```\n\n```lua\nreturn 42\n```\nEnd\n"
        let result = try run(text)
        let expected = """
        Intro

        ```lua
        print a
        ```

        <!-- aiotwin:output -->
        ```text
        a
        ```
        <!-- /aiotwin:output -->

        Middle

        ```lua
        x = 1
        ```

        ```lua
        return 42
        ```

        <!-- aiotwin:output -->
        ```text
        => 42
        ```
        <!-- /aiotwin:output -->
        End

        """
        #expect(result.updated == expected)
        #expect(result.outputs.count == 3)
    }

    @Test("printed text and returned values are separate blocks; multi-line values are aligned")
    func textAndValues() throws {
        let result = try run("```lua\nprint hi\nprint => not a value\nreturn 1\nreturn a\\nb\n```\n")
        #expect(result.updated == """
        ```lua
        print hi
        print => not a value
        return 1
        return a\\nb
        ```

        <!-- aiotwin:output -->
        ```text
        hi
        => not a value
        ```
        ```text
        => 1
        => a
           b
        ```
        <!-- /aiotwin:output -->

        """)
    }

    @Test("running twice gives identical text", arguments: [
        "```lua\nprint a\n```\n\nprose\n```lua\nreturn 1\nimage p.svg A plot\n```\n",
        "```lua\nprint a\n```",
        "```lua\nprint a\r\n```\r\n\r\ntext\r\n```lua\r\nx\r\n```\r\n",
        " - item\n\n   ```lua\n   print in list\n   ```\n - next\n",
        "```lua\nprint ```` and ``` and `\nprint <!-- /aiotwin:output -->\nprint ```lua\n```\n",
        "```lua\nprint x\nfail nb.md:3: boom\\nsecond line\n```\n\n```lua\nprint later\n```\n",
        "```lua\nprint first\n```\n```lua\nprint adjacent\n```\nno blank after",
        "",
        "no code at all\n",
    ])
    func idempotence(text: String) throws {
        let once = try run(text)
        let twice = try run(once.updated)
        #expect(twice.updated == once.updated)
        #expect(twice.outputs == once.outputs)
        #expect(twice.executed.map(\.code) == once.executed.map(\.code), "output regions never contain Lua blocks")
    }

    @Test("a stale region is replaced, duplicates collapse, blank lines before it are kept")
    func replaceStale() throws {
        let text = """
        ```lua
        print new
        ```


        <!-- aiotwin:output -->
        ```text
        old
        ```
        <!-- /aiotwin:output -->

        <!-- aiotwin:output -->
        older
        <!-- /aiotwin:output -->
        Next paragraph

        """
        let result = try run(text)
        #expect(result.updated == """
        ```lua
        print new
        ```


        <!-- aiotwin:output -->
        ```text
        new
        ```
        <!-- /aiotwin:output -->
        Next paragraph

        """)
    }

    @Test("a block with no output loses its old region and the blank lines before it")
    func removeRegion() throws {
        let original = "```lua\nx = 1\n```\n\nText\n"
        let withRegion = "```lua\nx = 1\n```\n\n<!-- aiotwin:output -->\n```text\nold\n```\n<!-- /aiotwin:output -->\n\nText\n"
        let result = try run(withRegion)
        #expect(result.updated == original)
        #expect(result.outputs == [BlockOutput()])
        // And at the end of a file without a final newline.
        let atEnd = try run("```lua\nx = 1\n```\n\n<!-- aiotwin:output -->\nold\n<!-- /aiotwin:output -->")
        #expect(atEnd.updated == "```lua\nx = 1\n```")
    }

    @Test("regions not following a Lua block are left alone; skipped blocks keep theirs")
    func untouchedRegions() throws {
        let text = """
        <!-- aiotwin:output -->
        orphan at the top
        <!-- /aiotwin:output -->

        ```python
        print no
        ```

        <!-- aiotwin:output -->
        after python
        <!-- /aiotwin:output -->

        ```lua {skip}
        print skipped
        ```

        <!-- aiotwin:output -->
        kept from before
        <!-- /aiotwin:output -->

        ```lua
        print ran
        ```

        Prose between.

        <!-- aiotwin:output -->
        orphan after prose
        <!-- /aiotwin:output -->

        """
        let result = try run(text)
        #expect(result.executed.map(\.code) == ["print ran"])
        #expect(result.executed.map(\.index) == [1], "skipped blocks count in the index")
        for kept in ["orphan at the top", "after python", "kept from before", "orphan after prose"] {
            #expect(count(kept, in: result.updated) == 1)
        }
        #expect(count("ran\n```\n<!-- /aiotwin:output -->", in: result.updated) == 1)
        #expect(count(NotebookOutputRenderer.startMarker, in: result.updated) == 5)
        // The skipped block with no region gets none.
        let skippedOnly = "```lua {skip}\nprint x\n```\n"
        #expect(try run(skippedOnly).updated == skippedOnly)
    }

    @Test("the first failing block is written with its error; later blocks keep their old regions")
    func errorStops() throws {
        let oldRegion = "<!-- aiotwin:output -->\n```text\nold third\n```\n<!-- /aiotwin:output -->\n"
        let text = "```lua\nprint one\n```\n\n```lua\nprint before\nfail nb.md:6: attempt to call a nil value\n```\n\n```lua\nprint three\n```\n\n" + oldRegion
        let result = try run(text)
        #expect(result.executed.map(\.code) == ["print one", "print before\nfail nb.md:6: attempt to call a nil value"])
        #expect(result.failedBlock == 1)
        #expect(result.outputs.count == 2)
        #expect(result.outputs[1].error == "nb.md:6: attempt to call a nil value")
        #expect(result.updated.contains(
            "```\n\n<!-- aiotwin:output -->\n```text\nbefore\n```\n> **error:** nb.md:6: attempt to call a nil value\n<!-- /aiotwin:output -->\n"))
        #expect(result.updated.hasSuffix("```lua\nprint three\n```\n\n" + oldRegion))
    }

    @Test("an executor that throws fails the block with the error's description")
    func executorThrows() throws {
        let result = try run("```lua\nthrow nb.md:2: exploded\n```\n\n```lua\nprint never\n```\n")
        #expect(result.failedBlock == 0)
        #expect(result.outputs == [.failure("nb.md:2: exploded")])
        #expect(result.executed.count == 1)
        #expect(result.updated.contains("> **error:** nb.md:2: exploded\n"))
        #expect(!result.updated.contains("never\n```\n\n<!--"))
    }

    @Test("multi-line errors stay inside the blockquote")
    func multiLineError() throws {
        let result = try run("```lua\nfail boom\\n\\nstack traceback:\n```\n")
        #expect(result.updated.contains("> **error:** boom\n>\n> stack traceback:\n<!-- /aiotwin:output -->"))
    }

    @Test("CRLF line endings are preserved and used for new lines")
    func crlf() throws {
        let text = "Intro\r\n\r\n```lua\r\nprint a\r\nprint b\r\n```\r\nAfter\r\n"
        let result = try run(text)
        #expect(result.executed.first?.code == "print a\nprint b")
        #expect(result.updated == "Intro\r\n\r\n```lua\r\nprint a\r\nprint b\r\n```\r\n\r\n<!-- aiotwin:output -->\r\n```text\r\na\r\nb\r\n```\r\n<!-- /aiotwin:output -->\r\nAfter\r\n")
        let bytes = Array(result.updated.utf8)
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(i > 0 && bytes[i - 1] == 0x0D, "every \\n is preceded by \\r")
        }
        // Printed \r\n is not doubled.
        let printed = try NotebookRunner.run(text: "```lua\r\n```\r\n", fileName: "nb.md") { _ in BlockOutput(text: "x\r\ny\r\n") }
        #expect(printed.updated == "```lua\r\n```\r\n\r\n<!-- aiotwin:output -->\r\n```text\r\nx\r\ny\r\n```\r\n<!-- /aiotwin:output -->\r\n")
    }

    @Test("a final newline is kept, and a missing one stays missing")
    func trailingNewline() throws {
        let with = try run("```lua\nprint a\n```\n")
        #expect(with.updated.hasSuffix("<!-- /aiotwin:output -->\n"))
        let without = try run("```lua\nprint a\n```")
        #expect(without.updated.hasSuffix("<!-- /aiotwin:output -->"))
        #expect(without.updated + "\n" == with.updated)
    }

    @Test("printed backticks get a longer fence, so the region stays intact")
    func backticksInOutput() throws {
        let printed = "```lua\nprint(\"injected\")\n```\nsome ```` text"
        let result = try NotebookRunner.run(text: "```lua\nx\n```\n", fileName: "nb.md") { _ in BlockOutput(text: printed + "\n") }
        #expect(result.updated.contains("\n`````text\n" + printed + "\n`````\n"))
        let reparsed = try MarkdownNotebook(text: result.updated)
        #expect(reparsed.codeBlocks.count == 1)
        #expect(reparsed.outputRegions.count == 1)
        #expect(NotebookOutputRenderer.fence(for: "a ` b") == "```")
        #expect(NotebookOutputRenderer.fence(for: "``````") == "```````")
    }

    @Test("images are rendered as Markdown image lines, escaped when needed")
    func images() throws {
        let output = BlockOutput(images: [.init(path: "plots/loss.svg", alt: "Loss"),
                                          .init(path: "my plots/a (1).png", alt: "a [b]")])
        let result = try NotebookRunner.run(text: "```lua\n```\n", fileName: "nb.md") { _ in output }
        #expect(result.updated == "```lua\n```\n\n<!-- aiotwin:output -->\n![Loss](plots/loss.svg)\n![a \\[b\\]](<my plots/a (1).png>)\n<!-- /aiotwin:output -->\n")
    }

    @Test("regions of blocks in list items are indented like the fence")
    func indentedRegion() throws {
        let result = try run("1. Step\n\n   ```lua\n   print x\n   ```\n")
        #expect(result.updated == "1. Step\n\n   ```lua\n   print x\n   ```\n\n   <!-- aiotwin:output -->\n   ```text\n   x\n   ```\n   <!-- /aiotwin:output -->\n")
    }

    @Test("source(padded:) puts the first code line at its Markdown line")
    func paddedSource() throws {
        let result = try run("# T\n\ntext\n\n```lua\nprint a\nprint b\n```\n")
        let block = try #require(result.executed.first)
        #expect(block.firstLine == 6)
        #expect(block.fileName == "nb.md")
        let padded = block.source(padded: true)
        let lines = padded.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[5] == "print a")
        #expect(lines[6] == "print b")
        #expect(lines.count == 7)
        #expect(block.source(padded: false) == "print a\nprint b")
    }

    @Test("durations are hidden by default and shown on request")
    func durations() throws {
        let text = "```lua\nprint a\n```\n"
        let render: (Double, NotebookRenderOptions) throws -> String = { duration, options in
            let executor = FakeExecutor()
            executor.duration = duration
            return try NotebookRunner.run(text: text, fileName: "nb.md", options: options, execute: executor.callAsFunction).updated
        }
        #expect(try render(0.5, .init()) == render(1.25, .init()))
        #expect(!(try render(0.5, .init())).contains("0.5"))
        let shown = try render(1.25, .init(showsDurations: true))
        #expect(shown.contains("<!-- aiotwin:output -->\n*ran in 1.250 s*\n```text\n"))
        // A block that printed nothing still gets a region when durations are shown.
        let quiet = try NotebookRunner.run(text: "```lua\n```\n", fileName: "nb.md", options: .init(showsDurations: true)) { _ in
            BlockOutput(duration: 0.0021)
        }
        #expect(quiet.updated == "```lua\n```\n\n<!-- aiotwin:output -->\n*ran in 0.002 s*\n<!-- /aiotwin:output -->\n")
    }

    @Test("renderer: nothing to show gives no region; order is duration, text, values, images, error")
    func rendererOrder() {
        #expect(NotebookOutputRenderer.region(for: BlockOutput()) == nil)
        #expect(NotebookOutputRenderer.region(for: BlockOutput(duration: 3)) == nil)
        let all = BlockOutput(text: "t\n", values: ["v"], images: [.init(path: "i.png", alt: "i")], error: "e", duration: 1)
        #expect(NotebookOutputRenderer.region(for: all, options: .init(showsDurations: true)) == [
            "<!-- aiotwin:output -->", "*ran in 1.000 s*", "```text", "t", "```", "```text", "=> v", "```",
            "![i](i.png)", "> **error:** e", "<!-- /aiotwin:output -->",
        ])
    }
}
