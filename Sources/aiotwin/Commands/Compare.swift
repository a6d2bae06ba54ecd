import ArgumentParser
import Foundation
import Reporting
import Workbench

/// `aiotwin compare`: strategies side by side from their run files.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare runs: final and best values, when a target was reached, and a plot.",
        discussion: """
            Reads the metric from each run file's metrics table (default: table `global`, metric
            `accuracy`) against rounds, time (time_s) or cumulative cost (cost_total).
            Example: aiotwin compare runs/*.h5 --metric accuracy --by cost --target 0.85 --plot cmp.svg
            Routing runs (aiotwin proxy simulate --out): --table requests --metric response_ms
            --kind histogram|cdf|shares gives response-time distributions and per-instance shares.
            """)

    @Argument(help: "Run files (.h5).")
    var runs: [String]

    @Option(help: "The metric column.")
    var metric = "accuracy"

    @Option(help: "The metrics table (default: global, else the first table with the metric).")
    var table: String?

    @Option(help: "X axis: round, time or cost.")
    var by = "round"

    @Option(help: "Target value of the metric: report when each run first reached it.")
    var target: Double?

    @Option(help: "Output format: table, csv, json or markdown.")
    var format = "table"

    @Option(help: ArgumentHelp("Write a line plot: FILE.svg, or FILE.png (needs rsvg-convert).", valueName: "file"))
    var plot: String?

    @Option(help: "Plot kind: line (metric by --by), cdf or histogram (distribution of each run's values), shares (requests per instance).")
    var kind = "line"

    @Flag(help: "Lower values of the metric are better (default: inferred from its name).")
    var lowerIsBetter = false

    @Flag(help: "Higher values of the metric are better.")
    var higherIsBetter = false

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run file") }
        guard RunComparison.XAxis(rawValue: by) != nil else { throw ValidationError("--by must be round, time or cost, found '\(by)'") }
        guard TableFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(TableFormat.allCases.map(\.rawValue).joined(separator: ", ")), found '\(format)'")
        }
        if let plot, !(plot.hasSuffix(".svg") || plot.hasSuffix(".png")) { throw ValidationError("--plot must end in .svg or .png") }
        guard RunComparison.PlotKind(rawValue: kind) != nil else { throw ValidationError("--kind must be line, cdf, histogram or shares, found '\(kind)'") }
        if lowerIsBetter && higherIsBetter { throw ValidationError("--lower-is-better and --higher-is-better exclude each other") }
    }

    func run() throws {
        let comparison = RunComparison(metric: metric, table: table, by: RunComparison.XAxis(rawValue: by) ?? .round,
                                       target: target,
                                       direction: lowerIsBetter ? .lowerIsBetter : higherIsBetter ? .higherIsBetter : nil)
        let plotKind = RunComparison.PlotKind(rawValue: kind) ?? .line
        let loaded = try comparison.load(runs, needsX: plotKind == .line)
        let table = plotKind == .line ? comparison.table(loaded) : comparison.distributionTable(loaded)
        print(table.render(TableFormat(rawValue: format) ?? .table), terminator: "")
        if let plot {
            let chart = comparison.plot(loaded, kind: plotKind)
            let url = URL(fileURLWithPath: plot)
            if plot.hasSuffix(".png") {
                try PNGConverter.locate().convert(svgDocument: chart.svg(), to: url)
            } else {
                try chart.writeSVG(to: url)
            }
            FileHandle.standardError.write(Data("wrote \(plot)\n".utf8))
        }
    }
}
