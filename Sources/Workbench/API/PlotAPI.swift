import Foundation
import Reporting
import Scripting

// aiotwin.plot.*: SVG (or PNG) plots from Lua tables.

extension ScriptHost {
    /// Writes an SVG document to `path` (PNG when it ends in .png), checked against the policy;
    /// relative paths are taken from the output directory.
    func writePlot(svg: String, to path: String, title: String) throws {
        let target = path.hasPrefix("/") ? path : "\(configuration.outputDirectory)/\(path)"
        let checked = try configuration.policy.check(target, for: "plot")
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: checked).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        let url = URL(fileURLWithPath: checked)
        if checked.hasSuffix(".png") {
            try PNGConverter.locate().convert(svgDocument: svg, to: url)
        } else {
            try Data(svg.utf8).write(to: url, options: .atomic)
        }
        addArtifact(path: checked, title: title)
    }

    private func axis(_ o: LuaOptions, _ prefix: String, default label: String) throws -> Axis {
        Axis(label: try o.string("\(prefix)_label", default: label), unit: try o.string("\(prefix)_unit"),
             scale: try o.bool("\(prefix)_log", default: false) ? .log : .linear)
    }

    /// `series = {{name = "a", x = {...}, y = {...}}, ...}`.
    private func series(_ o: LuaOptions) throws -> [Series] {
        guard let list = o.table["series"].tableValue?.array, !list.isEmpty else {
            throw WorkbenchError.invalidInput("\(o.context): option 'series' must be a list of {name =, x =, y =} tables")
        }
        return try list.enumerated().map { i, v in
            guard let t = v.tableValue else { throw WorkbenchError.invalidInput("\(o.context): series \(i + 1) must be a table") }
            let s = LuaOptions(t, context: "\(o.context) series \(i + 1)")
            guard let y = try s.doubles("y") else { throw WorkbenchError.invalidInput("\(o.context): series \(i + 1) needs 'y'") }
            let x = try s.doubles("x") ?? (1...max(y.count, 1)).map(Double.init)
            guard x.count == y.count else { throw WorkbenchError.invalidInput("\(o.context): series \(i + 1) has \(x.count) x and \(y.count) y values") }
            return Series(name: try s.string("name", default: "series \(i + 1)"), x: x, y: y)
        }
    }

    /// `samples = {{name = "a", values = {...}}, ...}`.
    private func samples(_ o: LuaOptions) throws -> [Sample] {
        guard let list = o.table["samples"].tableValue?.array, !list.isEmpty else {
            throw WorkbenchError.invalidInput("\(o.context): option 'samples' must be a list of {name =, values =} tables")
        }
        return try list.enumerated().map { i, v in
            guard let t = v.tableValue else { throw WorkbenchError.invalidInput("\(o.context): sample \(i + 1) must be a table") }
            let s = LuaOptions(t, context: "\(o.context) sample \(i + 1)")
            return Sample(name: try s.string("name", default: "sample \(i + 1)"), values: try s.doubles("values") ?? [])
        }
    }

    func registerPlotAPI() {
        let common: Set<String> = ["title", "file", "x_label", "x_unit", "x_log", "y_label", "y_unit", "y_log", "width", "height"]
        func options(_ o: LuaOptions) throws -> PlotOptions {
            PlotOptions(width: try o.double("width", default: 720), height: try o.double("height", default: 450))
        }
        func file(_ o: LuaOptions) throws -> String {
            guard let f = try o.string("file"), f.hasSuffix(".svg") || f.hasSuffix(".png") else {
                throw WorkbenchError.invalidInput("\(o.context): option 'file' must name an .svg or .png file")
            }
            return f
        }
        lua.register(module: "aiotwin", functions: [
            "plot.line": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(common.union(["series", "target", "target_label"]))
                let target = try o.double("target").map { TargetLine(value: $0, label: try o.string("target_label")) }
                let plot = LinePlot(title: try o.string("title", default: ""), series: try series(o),
                                    xAxis: try axis(o, "x", default: "x"), yAxis: try axis(o, "y", default: "y"),
                                    target: target, options: try options(o))
                try writePlot(svg: plot.svg(), to: try file(o), title: plot.title)
                return [.string(try file(o))]
            },
            "plot.cdf": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(common.union(["samples"]))
                let plot = CDFPlot(title: try o.string("title", default: ""), samples: try samples(o),
                                   xAxis: try axis(o, "x", default: "value"), options: try options(o))
                try writePlot(svg: plot.svg(), to: try file(o), title: plot.title)
                return [.string(try file(o))]
            },
            "plot.bar": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(common.union(["categories", "series"]))
                guard let categories = o.table["categories"].tableValue?.array.compactMap(\.stringValue), !categories.isEmpty else {
                    throw WorkbenchError.invalidInput("aiotwin.plot.bar: option 'categories' must be a list of names")
                }
                guard let list = o.table["series"].tableValue?.array, !list.isEmpty else {
                    throw WorkbenchError.invalidInput("aiotwin.plot.bar: option 'series' must be a list of {name =, values =} tables")
                }
                let bars = try list.enumerated().map { i, v -> BarSeries in
                    let s = LuaOptions(v.tableValue ?? LuaTable(), context: "aiotwin.plot.bar series \(i + 1)")
                    guard let values = try s.doubles("values"), values.count == categories.count else {
                        throw WorkbenchError.invalidInput("aiotwin.plot.bar: series \(i + 1) needs one value per category (\(categories.count))")
                    }
                    return BarSeries(name: try s.string("name", default: "series \(i + 1)"), values: values)
                }
                let plot = BarPlot(title: try o.string("title", default: ""), categories: categories, series: bars,
                                   xLabel: try o.string("x_label", default: ""), yAxis: try axis(o, "y", default: "value"),
                                   options: try options(o))
                try writePlot(svg: plot.svg(), to: try file(o), title: plot.title)
                return [.string(try file(o))]
            },
            "plot.histogram": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(common.union(["samples", "bins"]))
                let bins = try o.int("bins").map { HistogramPlot.Binning.count(max(1, $0)) } ?? .automatic
                let plot = HistogramPlot(title: try o.string("title", default: ""), samples: try samples(o),
                                         xAxis: try axis(o, "x", default: "value"), binning: bins, options: try options(o))
                try writePlot(svg: plot.svg(), to: try file(o), title: plot.title)
                return [.string(try file(o))]
            },
        ])
    }
}
