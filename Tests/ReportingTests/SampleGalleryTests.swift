import Foundation
import Testing
import Reporting

/// Writes the sample plots as SVG (and PNG where a converter exists) to the directory named by
/// `REPORTING_SAMPLES`, for people to look at. Off unless that variable is set.
@Suite("Sample gallery")
struct SampleGalleryTests {
    static let directory = ProcessInfo.processInfo.environment["REPORTING_SAMPLES"]

    @Test(.enabled(if: directory != nil))
    func writeSamples() throws {
        let dir = URL(fileURLWithPath: try #require(Self.directory))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let converter = try? PNGConverter.locate()
        for (name, plot) in SamplePlots.gallery {
            let svg = dir.appendingPathComponent("\(name).svg")
            try plot.writeSVG(to: svg)
            try converter?.convert(svg: svg, to: dir.appendingPathComponent("\(name).png"))
        }
    }
}
