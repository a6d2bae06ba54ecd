import Foundation
import Routing
import Storage

/// Simulated routing runs in a run file: every request (`requests`), one summary row per seed
/// (`seeds`) and per-instance counts (`instances`), so `aiotwin compare` can plot response-time
/// histograms, CDFs and per-instance shares.
public final class SimulationTables {
    /// The run file.
    public let file: RunFile
    private let requests: TableWriter, seeds: TableWriter, instances: TableWriter

    /// Creates a run file `path` with the run's metadata and configuration, and the tables.
    public convenience init(path: String, metadata: RunMetadata, configurationJSON: String) throws {
        let file = try RunFile.create(path: path, metadata: metadata, overwrite: true)
        try file.setConfiguration(json: configurationJSON)
        try self.init(file: file)
    }

    /// Adds the tables to an open run file.
    public init(file: RunFile) throws {
        self.file = file
        requests = try file.metrics("requests", columns: [
            ColumnSpec("seed", .int64), ColumnSpec("index", .int64), ColumnSpec("time_s", .float64), ColumnSpec("phase", .string),
            ColumnSpec("instance", .string), ColumnSpec("response_ms", .float64), ColumnSpec("success", .int64),
            ColumnSpec("transport_error", .int64), ColumnSpec("cold", .int64)])
        seeds = try file.metrics("seeds", columns: [
            ColumnSpec("seed", .int64), ColumnSpec("requests", .int64), ColumnSpec("success_rate", .float64),
            ColumnSpec("mean_ms", .float64), ColumnSpec("p50_ms", .float64), ColumnSpec("p99_ms", .float64)])
        instances = try file.metrics("instances", columns: [
            ColumnSpec("seed", .int64), ColumnSpec("instance", .string), ColumnSpec("requests", .int64)])
    }

    /// Appends one seed's records and summary, then flushes.
    public func record(_ result: SimulationResult, phaseIDs: [String]) throws {
        let seed = Int64(bitPattern: result.seed)
        try requests.append(rows: result.records.map { r in
            [.int64(seed), .int64(Int64(r.index)), .float64(r.time), .string(r.phase < phaseIDs.count ? phaseIDs[r.phase] : "\(r.phase)"),
             .string(r.instance ?? ""), .float64(r.responseMs ?? .nan), .int64(r.success ? 1 : 0),
             .int64(r.transportError ? 1 : 0), .int64(r.coldConnection ? 1 : 0)]
        })
        let s = result.summary
        try seeds.append([.int64(seed), .int64(Int64(s.requests)), .float64(s.successRate), .float64(s.meanMs), .float64(s.p50Ms), .float64(s.p99Ms)])
        try instances.append(rows: s.perInstance.sorted { $0.key < $1.key }.map { [.int64(seed), .string($0.key), .int64(Int64($0.value))] })
        try file.flush()
    }
}
