/// What executing one Lua block of a notebook produced; the executor fills it in and
/// ``NotebookOutputRenderer`` writes it below the block.
public struct BlockOutput: Equatable, Sendable {
    /// An image the block produced (typically a plot written to disk), shown as `![alt](path)`.
    public struct Image: Equatable, Sendable {
        /// The image file, relative to the notebook's directory.
        public var path: String
        /// The alternative text.
        public var alt: String

        /// An image at `path` (relative to the notebook) with alternative text `alt`.
        public init(path: String, alt: String = "") {
            self.path = path
            self.alt = alt
        }
    }

    /// Captured `print` / `io.write` output, as written (lines end with `\n`).
    public var text: String
    /// String renderings of the values the block returned, in order; empty when it returned none.
    public var values: [String]
    /// Images to show, in order.
    public var images: [Image]
    /// A one-line error message such as `notebook.md:12: attempt to call a nil value`; a block
    /// with an error stops the notebook run.
    public var error: String?
    /// Wall-clock execution time in seconds, if measured. Rendered only when
    /// ``NotebookRenderOptions/showsDurations`` is set, so that re-runs with the same results
    /// are byte-identical by default.
    public var duration: Double?

    /// An output; every part defaults to "nothing".
    public init(text: String = "", values: [String] = [], images: [Image] = [],
                error: String? = nil, duration: Double? = nil) {
        self.text = text
        self.values = values
        self.images = images
        self.error = error
        self.duration = duration
    }

    /// An output carrying only the error `message`.
    public static func failure(_ message: String) -> BlockOutput {
        BlockOutput(error: message)
    }

    /// Whether the block failed (``error`` is set, even to an empty message).
    public var failed: Bool { error != nil }

    /// Whether there is nothing to show apart, possibly, from the duration.
    public var isEmpty: Bool { text.isEmpty && values.isEmpty && images.isEmpty && error == nil }
}
