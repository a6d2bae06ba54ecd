import Foundation

/// A plot that renders itself as a standalone SVG document.
public protocol Plot: Sendable {
    /// The plot as an SVG document (UTF-8 text, no external resources).
    func svg() -> String
}

extension Plot {
    /// Writes the SVG document to `url`, replacing any file there.
    public func writeSVG(to url: URL) throws {
        try Data(svg().utf8).write(to: url, options: .atomic)
    }
}
