import Foundation
import Testing
import Reporting

@Suite("PNG conversion")
struct PNGConverterTests {
    static let available = (try? PNGConverter.locate()) != nil

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reporting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func writeScript(_ name: String, in dir: URL, body: String) throws {
        let url = dir.appendingPathComponent(name)
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    @Test("with no converter on the path the error names the Debian package to install")
    func noConverter() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A program called convert that is not ImageMagick does not count.
        try writeScript("convert", in: dir, body: "echo 'convert: something else'; exit 1")
        #expect {
            try PNGConverter.locate(searchPath: dir.path)
        } throws: { error in
            guard let error = error as? PNGConversionError, case .noConverter = error else { return false }
            return "\(error)".contains("librsvg2-bin") && "\(error)".contains("rsvg-convert")
        }
    }

    @Test("converters are preferred in order: rsvg-convert first")
    func preference() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeScript("inkscape", in: dir, body: "exit 0")
        try writeScript("convert", in: dir, body: "echo 'Version: ImageMagick 6.9.11-60'")
        #expect(try PNGConverter.locate(searchPath: dir.path).tool == .convert)
        try writeScript("rsvg-convert", in: dir, body: "exit 0")
        let found = try PNGConverter.locate(searchPath: dir.path)
        #expect(found.tool == .rsvgConvert && found.executable.hasSuffix("/rsvg-convert"))
        let args = found.arguments(svg: "in.svg", png: "out.png", scale: 2)
        #expect(args.last == "in.svg" && args.contains("--output=out.png"))
    }

    @Test("a failing converter reports its exit status and message")
    func failure() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeScript("rsvg-convert", in: dir, body: "echo 'broken svg' >&2; exit 3")
        let converter = try PNGConverter.locate(searchPath: dir.path)
        #expect(throws: PNGConversionError.conversionFailed(tool: "rsvg-convert", status: 3, message: "broken svg\n")) {
            try converter.convert(svgDocument: SamplePlots.barPlot.svg(), to: dir.appendingPathComponent("out.png"))
        }
    }

    @Test("a plot converts to a real PNG of twice its size", .enabled(if: available))
    func convertsToPNG() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("line.png")
        try PNGConverter.locate().convert(svgDocument: SamplePlots.linePlot.svg(), to: png, scale: 2)
        let bytes = [UInt8](try Data(contentsOf: png))
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(bytes.count > 20_000)
        // IHDR: width and height, big-endian, at bytes 16..<24.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1440 && height == 900)
    }
}
