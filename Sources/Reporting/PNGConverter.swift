import Foundation

/// Converts SVG files to PNG with the first available external converter: `rsvg-convert`
/// (Debian's librsvg2-bin), ImageMagick's `magick` or `convert`, or `inkscape`.
public struct PNGConverter: Sendable, Equatable {
    /// A supported converter, in order of preference.
    public enum Tool: String, Sendable, CaseIterable {
        /// librsvg's converter (Debian package librsvg2-bin): fast and faithful.
        case rsvgConvert = "rsvg-convert"
        /// ImageMagick 7.
        case magick
        /// ImageMagick 6 (Debian package imagemagick).
        case convert
        /// Inkscape 1.x.
        case inkscape
    }

    /// The converter used.
    public let tool: Tool
    /// The path of its executable.
    public let executable: String

    /// A converter with a known executable.
    public init(tool: Tool, executable: String) {
        self.tool = tool
        self.executable = executable
    }

    /// The first converter found on `searchPath` (a colon-separated list of directories; `nil`
    /// is the `PATH` environment variable). An executable named `convert` or `magick` counts
    /// only if `-version` says it is ImageMagick, since other programs share the name.
    public static func locate(searchPath: String? = nil) throws -> PNGConverter {
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for tool in Tool.allCases {
            for directory in directories {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(tool.rawValue).path
                guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
                if tool == .magick || tool == .convert {
                    guard let (status, output) = try? run(candidate, ["-version"]), status == 0,
                          output.contains("ImageMagick") else { continue }
                }
                return PNGConverter(tool: tool, executable: candidate)
            }
        }
        throw PNGConversionError.noConverter(searched: Tool.allCases.map(\.rawValue))
    }

    /// The command-line arguments that convert `svg` to `png` at `scale` times the SVG's size.
    public func arguments(svg: String, png: String, scale: Double) -> [String] {
        let scale = scale.isFinite && scale > 0 ? scale : 1
        let dpi = String(Int((96 * scale).rounded()))
        switch tool {
        case .rsvgConvert: return ["--format=png", "--zoom=\(scale)", "--output=\(png)", svg]
        case .magick, .convert: return ["-density", dpi, "-background", "white", svg, png]
        case .inkscape: return [svg, "--export-type=png", "--export-filename=\(png)", "--export-dpi=\(dpi)"]
        }
    }

    /// Converts the SVG file at `svg` into a PNG file at `png`, `scale` times the SVG's pixel size
    /// (2 gives sharp images on high-density screens and slides).
    public func convert(svg: URL, to png: URL, scale: Double = 2) throws {
        let (status, output) = try Self.run(executable, arguments(svg: svg.path, png: png.path, scale: scale))
        guard status == 0 else {
            throw PNGConversionError.conversionFailed(tool: tool.rawValue, status: status, message: output)
        }
        guard FileManager.default.fileExists(atPath: png.path) else {
            throw PNGConversionError.conversionFailed(tool: tool.rawValue, status: status, message: "no file written at \(png.path)")
        }
    }

    /// Writes `document` to a temporary SVG file and converts it into a PNG file at `png`.
    public func convert(svgDocument document: String, to png: URL, scale: Double = 2) throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("aiotwin-\(UUID().uuidString).svg")
        try Data(document.utf8).write(to: svg)
        defer { try? FileManager.default.removeItem(at: svg) }
        try convert(svg: svg, to: png, scale: scale)
    }

    /// Runs `executable` with `arguments`, returning its exit status and its standard output and
    /// error (read to the end before waiting, so a chatty converter cannot block on a full pipe).
    private static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PNGConversionError.launchFailed(tool: executable, message: error.localizedDescription)
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
