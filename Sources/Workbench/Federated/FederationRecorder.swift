import Federation
import Foundation
import Learning
import Storage

/// Writes a federated run into a run file: per-round tables (`global`, `aggregators`,
/// `clients`), flushed after every round, and checkpoints as snapshots `round-<r>` (the global
/// model, PyTorch layout) with `round-<r>-state` (aggregator states) for `--resume`.
final class FederationRecorder: FederationObserver {
    let file: RunFile
    let architecture: ResolvedModel
    /// Whether `time_s` is simulated (speeds or bandwidths given) or wall-clock.
    let simulatedTime: Bool
    /// Prints one line per round when set.
    let progress: ((String) -> Void)?
    let rounds: Int
    private var wallTotal: Double
    private let global: TableWriter, aggregators: TableWriter, clients: TableWriter

    static let globalColumns = [ColumnSpec("round", .int64), ColumnSpec("time_s", .float64), ColumnSpec("wall_s", .float64),
                                ColumnSpec("accuracy", .float64), ColumnSpec("loss", .float64), ColumnSpec("cost_round", .float64),
                                ColumnSpec("cost_total", .float64), ColumnSpec("asked", .int64), ColumnSpec("succeeded", .int64),
                                ColumnSpec("failed", .int64)]
    static let aggregatorColumns = [ColumnSpec("round", .int64), ColumnSpec("aggregator", .string), ColumnSpec("local_round", .int64),
                                    ColumnSpec("asked", .int64), ColumnSpec("succeeded", .int64), ColumnSpec("failed", .int64),
                                    ColumnSpec("weight", .float64), ColumnSpec("accuracy", .float64), ColumnSpec("loss", .float64)]
    static let clientColumns = [ColumnSpec("round", .int64), ColumnSpec("local_round", .int64), ColumnSpec("client", .string),
                                ColumnSpec("parent", .string), ColumnSpec("samples", .int64), ColumnSpec("train_loss", .float64),
                                ColumnSpec("failed", .int64), ColumnSpec("weight", .float64), ColumnSpec("local_accuracy", .float64)]

    init(file: RunFile, architecture: ResolvedModel, simulatedTime: Bool, rounds: Int, wallOffset: Double,
         progress: ((String) -> Void)?) throws {
        self.file = file
        self.architecture = architecture
        self.simulatedTime = simulatedTime
        self.rounds = rounds
        self.progress = progress
        self.wallTotal = wallOffset
        global = try file.metrics("global", columns: Self.globalColumns)
        aggregators = try file.metrics("aggregators", columns: Self.aggregatorColumns)
        clients = try file.metrics("clients", columns: Self.clientColumns)
    }

    func roundFinished(_ r: RoundRecord) throws {
        wallTotal += r.wallRound
        let round = Int64(r.round)
        try global.append([.int64(round), .float64(simulatedTime ? r.simulatedTotal : wallTotal), .float64(wallTotal),
                           .float64(r.accuracy), .float64(r.loss), .float64(r.costRound), .float64(r.costTotal),
                           .int64(Int64(r.asked)), .int64(Int64(r.succeeded)), .int64(Int64(r.failed))])
        try aggregators.append(rows: r.aggregators.map { a in
            [.int64(round), .string(a.id), .int64(Int64(a.localRound)), .int64(Int64(a.asked)), .int64(Int64(a.succeeded)),
             .int64(Int64(a.failed)), .float64(a.weight), .float64(a.accuracy ?? .nan), .float64(a.loss ?? .nan)]
        })
        try clients.append(rows: r.clients.map { c in
            [.int64(round), .int64(Int64(c.localRound)), .string(c.id), .string(c.parent), .int64(Int64(c.samples)),
             .float64(c.trainLoss), .int64(c.failed ? 1 : 0), .float64(c.weight), .float64(c.localAccuracy ?? .nan)]
        })
        try file.flush()
        progress?(String(format: "round %d/%d: accuracy %.2f%%, loss %.4f, cost %.6g, %d of %d clients, %.1f s",
                         r.round, rounds, 100 * r.accuracy, r.loss, r.costTotal, r.succeeded, r.asked, r.wallRound))
    }

    func checkpoint(_ c: FederationCheckpoint) throws {
        let name = "round-\(c.round)"
        let names = try file.snapshotNames()
        guard !names.contains(name) else { return }
        let model = try Model(architecture: architecture, parameters: c.parameters)
        try file.writeSnapshot(name: name, model: model, attributes: [
            "round": .int64(Int64(c.round)), "cost_total": .double(c.costTotal), "simulated_s": .double(c.simulatedTotal),
            "wall_s": .double(wallTotal)])
        var state: [SnapshotTensor] = []
        for (node, values) in c.aggregatorStates.sorted(by: { $0.key < $1.key }) {
            for (key, v) in values.sorted(by: { $0.key < $1.key }) {
                state.append(SnapshotTensor(name: "\(node)/\(key)".replacingOccurrences(of: "/", with: "|"), shape: [v.count], values: v))
            }
        }
        try file.writeSnapshot(name: name + "-state", tensors: state, attributes: ["round": .int64(Int64(c.round))])
    }

    /// The latest checkpoint of the run file at `path`, with the wall time it had used.
    static func latestCheckpoint(in path: String, architecture: ResolvedModel) throws -> (FederationCheckpoint, wall: Double) {
        let file = try RunFile.open(path: path)
        defer { try? file.close() }
        let rounds = try file.snapshotNames().compactMap { name -> Int? in
            guard name.hasPrefix("round-"), !name.hasSuffix("-state") else { return nil }
            return Int(name.dropFirst(6))
        }
        guard let round = rounds.max() else {
            throw FederationError.invalidCheckpoint("\(path) has no checkpoint (snapshots round-<r>); was it written with checkpoint_every?")
        }
        let snapshot = try file.readSnapshot(name: "round-\(round)")
        let model = try file.readModel(snapshot: "round-\(round)")
        guard model.architecture.layout == architecture.layout else {
            throw FederationError.invalidCheckpoint("the checkpoint's model differs from the script's")
        }
        var states: [String: [String: [Float]]] = [:]
        if try file.snapshotNames().contains("round-\(round)-state") {
            for t in try file.readSnapshot(name: "round-\(round)-state").tensors {
                let parts = t.name.split(separator: "|", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                states[parts[0], default: [:]][parts[1]] = t.values
            }
        }
        let checkpoint = FederationCheckpoint(round: round, parameters: model.parameters, aggregatorStates: states,
                                              costTotal: snapshot.attributes["cost_total"]?.doubleValue ?? 0,
                                              simulatedTotal: snapshot.attributes["simulated_s"]?.doubleValue ?? 0)
        return (checkpoint, snapshot.attributes["wall_s"]?.doubleValue ?? 0)
    }

    /// Copies the rows of rounds ≤ `round` of the federation tables, and the events up to then,
    /// from the run file at `path` into this one (the history a resumed run continues).
    func copyHistory(from path: String, upTo round: Int) throws {
        let old = try RunFile.open(path: path)
        defer { try? old.close() }
        for (name, writer) in [("global", global), ("aggregators", aggregators), ("clients", clients)] {
            guard try old.tableNames.contains(name) else { continue }
            let data = try old.readTable(name)
            guard let rounds = data["round"]?.int64s else { continue }
            var rows: [[RowValue]] = []
            for i in 0..<data.rowCount where rounds[i] <= Int64(round) {
                rows.append(try writer.columns.map { spec in
                    switch data[spec.name] {
                    case let .int64(v)?: return .int64(v[i])
                    case let .float64(v)?: return .float64(v[i])
                    case let .float32(v)?: return .float32(v[i])
                    case let .string(v)?: return .string(v[i])
                    case nil: throw FederationError.invalidCheckpoint("\(path): table \(name) lacks column \(spec.name)")
                    }
                })
            }
            try writer.append(rows: rows)
        }
        for e in try old.events where e.round <= Int64(round) {
            try file.logEvent(round: e.round, time: e.time, kind: e.kind, detail: e.detail)
        }
        try file.flush()
    }
}
