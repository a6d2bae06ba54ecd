import Foundation

/// Why an SVG file could not be turned into a PNG file.
public enum PNGConversionError: Error, Equatable, CustomStringConvertible {
    /// None of the supported converters is on the search path.
    case noConverter(searched: [String])
    /// The converter ran but failed: its name, exit status and what it printed on standard error.
    case conversionFailed(tool: String, status: Int32, message: String)
    /// The converter could not be started.
    case launchFailed(tool: String, message: String)

    /// A one-line explanation, naming what to install or what failed.
    public var description: String {
        switch self {
        case .noConverter(let searched):
            return "no SVG-to-PNG converter found (looked for \(searched.joined(separator: ", ")) on PATH); "
                + "install Debian's librsvg2-bin (apt-get install librsvg2-bin), or imagemagick or inkscape"
        case let .conversionFailed(tool, status, message):
            let detail = message.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(tool) failed with exit status \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        case let .launchFailed(tool, message):
            return "could not run \(tool): \(message)"
        }
    }
}
