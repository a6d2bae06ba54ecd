import Federation
import Foundation
import Reporting
import Storage

/// Runs side by side: one metric per run against rounds, simulated time or cumulative cost, as a
/// table (final and best values, when a target was reached) and as a line plot.
public struct RunComparison {
    /// What the horizontal axis counts.
    public enum XAxis: String, CaseIterable, Sendable {
        /// Global rounds (column `round`).
        case round
        /// Simulated or wall time in seconds (column `time_s`).
        case time
        /// Cumulative communication cost (column `cost_total`).
        case cost

        /// The metrics-table column holding it.
        public var column: String {
            switch self {
            case .round: return "round"
            case .time: return "time_s"
            case .cost: return "cost_total"
            }
        }

        /// The axis title and unit.
        var axis: Axis {
            switch self {
            case .round: return Axis(label: "Round")
            case .time: return Axis(label: "Time", unit: "s")
            case .cost: return Axis(label: "Cumulative cost")
            }
        }
    }

    /// One run's series.
    public struct Run: Sendable {
        /// Display name: the run's `name` attribute, else the file name without extension.
        public let name: String
        /// The file.
        public let path: String
        /// `completed`, `running` (killed or still going) or `failed: …`.
        public let status: String
        /// The metric against the chosen x column (empty when the table has no such column).
        public let series: Series
        /// The metric's values in table order.
        public let values: [Double]
        /// The table's `success` column (1 = success), when it has one (routing runs).
        public let success: [Int64]?
        /// The table's `instance` column, when it has one (routing runs).
        public let instances: [String]?
    }

    /// The metric column (default `accuracy`).
    public var metric: String
    /// The metrics table; `nil` picks `global`, else the first table with the metric.
    public var table: String?
    /// The x axis.
    public var by: XAxis
    /// A target value of the metric: the table then shows when each run first reached it.
    public var target: Double?
    /// Whether higher values are better; `nil` infers it from the name (loss, time, latency,
    /// cost and error are lower-is-better).
    public var direction: MetricDirection?

    /// A comparison of `metric` by `by`.
    public init(metric: String = "accuracy", table: String? = nil, by: XAxis = .round, target: Double? = nil,
                direction: MetricDirection? = nil) {
        self.metric = metric; self.table = table; self.by = by; self.target = target; self.direction = direction
    }

    /// The direction in effect.
    public var effectiveDirection: MetricDirection {
        if let direction { return direction }
        let lower = ["loss", "time", "latency", "cost", "error", "_ms"]
        return lower.contains { metric.lowercased().contains($0) } ? .lowerIsBetter : .higherIsBetter
    }

    /// Reads the runs; every failure names the file. The x column is required only for line plots
    /// and the round/time/cost table (`needsX`).
    public func load(_ paths: [String], needsX: Bool = true) throws -> [Run] {
        try paths.map { path in
            let file = try RunFile.open(path: path)
            defer { try? file.close() }
            let names = try file.tableNames
            let chosen: String
            if let table {
                guard names.contains(table) else {
                    throw WorkbenchError.invalidInput("\(path): no metrics table '\(table)' (tables: \(names.joined(separator: ", ")))")
                }
                chosen = table
            } else {
                let candidates = (names.contains("global") ? ["global"] : []) + names.filter { $0 != "global" }
                guard let found = try candidates.first(where: { try file.readTable($0)[metric] != nil }) else {
                    throw WorkbenchError.invalidInput("\(path): no table has a column '\(metric)' (tables: \(names.joined(separator: ", ")))")
                }
                chosen = found
            }
            let data = try file.readTable(chosen)
            guard let y = data[metric].flatMap(Self.numbers) else {
                throw WorkbenchError.invalidInput("\(path): table '\(chosen)' has no numeric column '\(metric)' (columns: \(data.schema.map(\.name).joined(separator: ", ")))")
            }
            let x = data[by.column].flatMap(Self.numbers)
            if needsX && x == nil {
                throw WorkbenchError.invalidInput("\(path): table '\(chosen)' has no column '\(by.column)' for --by \(by.rawValue) (use --kind cdf, histogram or shares for tables without it)")
            }
            let name = try file.metadata.extra["name"] ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return Run(name: name, path: path, status: try file.status.description,
                       series: Series(name: name, x: x ?? [], y: x == nil ? [] : y), values: y,
                       success: data["success"]?.int64s, instances: data["instance"]?.strings)
        }
    }

    static func numbers(_ column: ColumnData) -> [Double]? {
        switch column {
        case let .int64(v): return v.map(Double.init)
        case let .float64(v): return v
        case let .float32(v): return v.map(Double.init)
        case .string: return nil
        }
    }

    /// The summary table.
    public func table(_ runs: [Run]) -> ComparisonTable {
        let dir = effectiveDirection
        var columns = [TableColumn("status"), TableColumn("points"), TableColumn("final \(metric)"),
                       TableColumn("best \(metric)"), TableColumn("best at \(by.rawValue)")]
        if let target { columns.append(TableColumn("\(by.rawValue) to \(FileInspector.number(target))")) }
        let rows = runs.map { run -> TableRow in
            let best = Summary.best(of: run.series, direction: dir)
            var values: [TableValue?] = [.text(run.status), .number(Double(run.series.points.count)),
                                         Summary.finalValue(of: run.series).map { .number($0) },
                                         best.map { .number($0.y) }, best.map { .number($0.x) }]
            if let target {
                values.append(Summary.firstReaching(target, in: run.series, direction: dir).map { .number($0) } ?? .text("never"))
            }
            return TableRow(run.name, values: values)
        }
        return ComparisonTable(rowHeader: "run", columns: columns, rows: rows)
    }

    /// Distribution statistics of each run's metric values (and the success fraction when the
    /// table has a `success` column): the table for CDF, histogram and share comparisons.
    public func distributionTable(_ runs: [Run]) -> ComparisonTable {
        let withSuccess = runs.contains { $0.success != nil }
        var columns = [TableColumn("status"), TableColumn("count"), TableColumn("mean \(metric)"), TableColumn("p50"),
                       TableColumn("p90"), TableColumn("p99"), TableColumn("max")]
        if withSuccess { columns.append(TableColumn("success", unit: "%")) }
        let rows = runs.map { run -> TableRow in
            let s = SampleSummary(run.values)
            var values: [TableValue?] = [.text(run.status), .number(Double(s?.count ?? 0)), s.map { .number($0.mean) },
                                         s.map { .number($0.p50) }, s.map { .number($0.p90) }, s.map { .number($0.p99) }, s.map { .number($0.max) }]
            if withSuccess {
                values.append(run.success.map { v in .number(v.isEmpty ? .nan : Double(v.reduce(0, +)) / Double(v.count)) })
            }
            return TableRow(run.name, values: values)
        }
        return ComparisonTable(rowHeader: "run", columns: columns, rows: rows)
    }

    /// What `plot(_:kind:)` draws.
    public enum PlotKind: String, CaseIterable, Sendable {
        /// The metric against the x axis, one line per run.
        case line
        /// The empirical distribution of each run's values of the metric.
        case cdf
        /// Histograms of each run's values of the metric, with shared bins.
        case histogram
        /// Requests per instance (the table's `instance` column), grouped bars per run.
        case shares
    }

    /// The plot of the given kind.
    public func plot(_ runs: [Run], kind: PlotKind) -> any Plot {
        let samples = runs.map { Sample(name: $0.name, values: $0.values) }
        switch kind {
        case .line: return plot(runs)
        case .cdf: return CDFPlot(title: "Distribution of \(metric)", samples: samples, xAxis: Axis(label: metric))
        case .histogram: return HistogramPlot(title: "Histogram of \(metric)", samples: samples, xAxis: Axis(label: metric))
        case .shares:
            let names = Set(runs.flatMap { $0.instances ?? [] }).filter { !$0.isEmpty }.sorted(by: NaturalOrder.less)
            let series = runs.map { run -> BarSeries in
                var counts: [String: Int] = [:]
                for i in run.instances ?? [] { counts[i, default: 0] += 1 }
                let total = Double(max(run.instances?.count ?? 0, 1))
                return BarSeries(name: run.name, values: names.map { 100 * Double(counts[$0] ?? 0) / total })
            }
            return BarPlot(title: "Requests per instance", categories: names, series: series, xLabel: "instance",
                           yAxis: Axis(label: "share of requests", unit: "%"))
        }
    }

    /// The line plot of the metric against the x axis.
    public func plot(_ runs: [Run]) -> LinePlot {
        LinePlot(title: "\(metric) by \(by.rawValue)", series: runs.map(\.series), xAxis: by.axis,
                 yAxis: Axis(label: metric), target: target.map { TargetLine(value: $0, label: "target \(FileInspector.number($0))") })
    }
}
