import Foundation
import Reporting
import Scripting
import Storage

// aiotwin.runs.*, Run methods and aiotwin.log: results in HDF5 run files.

/// A run file open for writing, as Lua holds it (`Run`).
final class RunHandle {
    let recorder: RunRecorder
    init(_ recorder: RunRecorder) { self.recorder = recorder }
}

extension ScriptHost {
    /// Creates the run that `aiotwin run` records into, visible as `aiotwin.run` and the target
    /// of `aiotwin.log`.
    public func attachDefaultRun(name: String, path: String, configurationJSON: String?) throws -> RunRecorder {
        let recorder = try createRun(name: name, path: path, configurationJSON: configurationJSON, overwrite: false)
        let set = try lua.load(source: "aiotwin.run = ...", chunkName: "=aiotwin")
        _ = try set.call([.userdata(LuaHandle(RunHandle(recorder), type: types.run))])
        return recorder
    }

    func registerRunAPI() {
        lua.register(module: "aiotwin", functions: [
            "runs.create": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(["name", "config", "overwrite", "path"])
                guard let name = try o.string("name"), !name.isEmpty, !name.contains("/") else {
                    throw WorkbenchError.invalidInput("aiotwin.runs.create: option 'name' (a file name without '/') is required")
                }
                let config = o.table["config"].isNil ? nil : LuaJSON.text(o.table["config"])
                let recorder = try createRun(name: name, path: try o.string("path"), configurationJSON: config,
                                             overwrite: try o.bool("overwrite", default: true))
                return [.userdata(LuaHandle(RunHandle(recorder), type: types.run))]
            },
            "runs.read": { [unowned self] args in
                let path = try configuration.policy.check(try args.string(at: 1), for: "aiotwin.runs.read")
                return [try readRun(path)]
            },
            "runs.compare": { [unowned self] args in
                let o = try LuaOptions(args, at: 1)
                try o.allowOnly(["files", "metric", "by", "target", "plot", "format", "table", "title", "kind"])
                guard let files = o.table["files"].tableValue?.array.compactMap(\.stringValue), !files.isEmpty else {
                    throw WorkbenchError.invalidInput("aiotwin.runs.compare: option 'files' must be a list of run file paths")
                }
                let paths = try files.map { try configuration.policy.check($0, for: "aiotwin.runs.compare") }
                guard let by = RunComparison.XAxis(rawValue: try o.string("by", default: "round")) else {
                    throw WorkbenchError.invalidInput("aiotwin.runs.compare: option 'by' must be round, time or cost")
                }
                let comparison = RunComparison(metric: try o.string("metric", default: "accuracy"), table: try o.string("table"),
                                               by: by, target: try o.double("target"))
                guard let kind = RunComparison.PlotKind(rawValue: try o.string("kind", default: "line")) else {
                    throw WorkbenchError.invalidInput("aiotwin.runs.compare: option 'kind' must be line, cdf, histogram or shares")
                }
                let runs = try comparison.load(paths, needsX: kind == .line)
                if let plot = try o.string("plot") {
                    let title = try o.string("title")
                    var svg = comparison.plot(runs, kind: kind).svg()
                    if let title, kind == .line {
                        var chart = comparison.plot(runs)
                        chart.title = title
                        svg = chart.svg()
                    }
                    try writePlot(svg: svg, to: plot, title: title ?? comparison.metric)
                }
                guard let format = TableFormat(rawValue: try o.string("format", default: "markdown")) else {
                    throw WorkbenchError.invalidInput("aiotwin.runs.compare: option 'format' must be table, csv, json or markdown")
                }
                return [.string((kind == .line ? comparison.table(runs) : comparison.distributionTable(runs)).render(format))]
            },
            "log": { [unowned self] args in
                guard case let .userdata(h) = try lua.global("aiotwin")["run"], let run = h.object(as: RunHandle.self) else {
                    throw WorkbenchError.invalidInput("aiotwin.log: there is no default run here; create one with aiotwin.runs.create{name = ...}")
                }
                try run.recorder.log(try args.string(at: 1), try args.table(at: 2))
                return []
            },
        ])
    }

    /// A run file as a Lua table: status, metadata, config (decoded), tables (column → list),
    /// events and snapshot names. Meant for per-round metrics, not per-request records.
    func readRun(_ path: String) throws -> LuaValue {
        let file = try RunFile.open(path: path)
        defer { try? file.close() }
        var t = LuaTable()
        t["path"] = .string(path)
        t["status"] = .string(try file.status.description)
        let meta = try file.metadata
        t["name"] = .string(meta.extra["name"] ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        t["seed"] = .integer(meta.seed)
        t["created"] = .string(meta.created)
        if let json = try file.configurationJSON, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) {
            t["config"] = LuaJSON.value(object)
        }
        var tables = LuaTable()
        for name in try file.tableNames {
            let data = try file.readTable(name)
            var columns = LuaTable()
            for spec in data.schema {
                switch data[spec.name] {
                case let .int64(v)?: columns[spec.name] = LuaValue(v.map { LuaValue.integer($0) })
                case let .float64(v)?: columns[spec.name] = LuaValue(v)
                case let .float32(v)?: columns[spec.name] = LuaValue(v.map(Double.init))
                case let .string(v)?: columns[spec.name] = LuaValue(v.map { LuaValue($0) })
                case nil: break
                }
            }
            tables[name] = .table(columns)
        }
        t["tables"] = .table(tables)
        t["events"] = LuaValue(try file.events.map { e in
            LuaValue(["round": .integer(e.round), "time": .number(e.time), "kind": .string(e.kind), "detail": .string(e.detail)])
        })
        t["snapshots"] = LuaValue(try file.snapshotNames().map { LuaValue($0) })
        return .table(t)
    }

    func registerRunType() -> LuaHandleType {
        func run(_ args: LuaArguments) throws -> RunRecorder { try args.handle(at: 1, as: RunHandle.self).recorder }
        return lua.registerType(name: "Run", methods: [
            "log": { args in
                try run(args).log(try args.string(at: 2), try args.table(at: 3))
                return []
            },
            "event": { args in
                let round = args.isNil(at: 4) ? nil : Int64(try args.integer(at: 4))
                try run(args).event(try args.string(at: 2), detail: try args.value(at: 3), round: round)
                return []
            },
            "snapshot": { args in
                let model = try args.handle(at: 3, as: ModelHandle.self).model
                let round = args.isNil(at: 4) ? nil : Int64(try args.integer(at: 4))
                try run(args).snapshot(try args.string(at: 2), model: model, round: round)
                return []
            },
            "finish": { args in
                try run(args).finish(.completed)
                return []
            },
            "fail": { args in
                try run(args).finish(.failed(try args.string(at: 2, default: "failed by the script")))
                return []
            },
            "path": { args in [.string(try run(args).file.path)] },
            "name": { args in [.string(try run(args).name)] },
            "elapsed": { args in [.number(try run(args).elapsed)] },
            "__tostring": { args in
                let r = try run(args)
                return [.string("Run(\(r.name), \(r.file.path))")]
            },
        ])
    }
}
