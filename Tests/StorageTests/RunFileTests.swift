import Foundation
import Storage
import Testing

@Suite("Run files")
struct RunFileTests {
    @Test("metadata, status and configuration round-trip; parent directories are created")
    func metadataAndConfiguration() throws {
        let path = try Scratch.directory() + "/runs/nested/a.h5"
        let metadata = sampleMetadata(extra: ["strategy": "minkld", "note": "ünïcode"])
        let run = try RunFile.create(path: path, metadata: metadata)
        #expect(try run.status == .running)
        try run.setConfiguration(json: #"{"rounds": 3}"#, attributes: ["rounds": 2, "lr": 0.5])
        try run.setConfiguration(json: #"{"rounds": 20}"#, attributes: ["rounds": 20, "clusters": .int64s([3, 4])])
        try run.finish(status: .completed)

        let read = try RunFile.open(path: path)
        #expect(try read.metadata == metadata)
        #expect(try read.status == .completed)
        #expect(try read.isComplete)
        #expect(try read.configurationJSON == #"{"rounds": 20}"#)
        #expect(try read.configurationAttributes == ["rounds": 20, "clusters": .int64s([3, 4])])
        #expect(try read.tableNames == [])
        #expect(try read.events == [])
        #expect(try read.snapshotNames() == [])
    }

    @Test("a failed run stores its reason")
    func failed() throws {
        let path = try Scratch.file()
        try RunFile.create(path: path, metadata: sampleMetadata()).finish(status: .failed("node n9: out of memory"))
        let read = try RunFile.open(path: path)
        #expect(try read.status == .failed("node n9: out of memory"))
        #expect(try read.isComplete == false)
        #expect(RunStatus("failed: x: y") == .failed("x: y"))
        #expect(RunStatus("done") == nil)
    }

    @Test("create refuses an existing file unless overwrite is set")
    func existing() throws {
        let path = try Scratch.file()
        try RunFile.create(path: path, metadata: sampleMetadata(seed: 1)).close()
        let error = try #require(throws: RunFileError.self) { try RunFile.create(path: path, metadata: sampleMetadata(seed: 2)) }
        #expect(error.kind == .fileExists)
        #expect(error.description.hasPrefix(path + ": "))
        try RunFile.create(path: path, metadata: sampleMetadata(seed: 3), overwrite: true).close()
        #expect(try RunFile.open(path: path).metadata.seed == 3)
    }

    @Test("metrics tables and events round-trip; tables are listed in creation order")
    func tablesAndEvents() throws {
        let path = try Scratch.file()
        let run = try RunFile.create(path: path, metadata: sampleMetadata())
        let columns = [ColumnSpec("round", .int64), ColumnSpec("time_s", .float64), ColumnSpec("accuracy", .float32)]
        let global = try run.metrics("global", columns: columns)
        let perClient = try run.metrics("clients", columns: [ColumnSpec("client", .string), ColumnSpec("loss", .float64)])
        for round in 1...3 {
            try global.append([.int64(Int64(round)), .float64(Double(round) * 1.5), 0.5])
            try perClient.append(rows: [["c1", 0.25], ["c2", 0.75]])
            try run.logEvent(round: Int64(round), time: Double(round), kind: "round_done", detail: #"{"r": \#(round)}"#)
            try run.flush()
        }
        #expect(try run.metrics("global", columns: columns) === global)
        let mismatch = try #require(throws: RunFileError.self) { try run.metrics("global", columns: [ColumnSpec("x", .int64)]) }
        #expect(mismatch.kind == .schemaMismatch)
        try run.finish(status: .completed)
        let closed = try #require(throws: StorageError.self) { try global.append([4, 4.0, 0.5]) }  // closed with the file
        #expect(closed.description == "\(path): /metrics/global: table is closed")

        let read = try RunFile.open(path: path)
        #expect(try read.tableNames == ["global", "clients"])
        let table = try read.readTable("global")
        #expect(table["round"] == .int64([1, 2, 3]))
        #expect(table["time_s"] == .float64([1.5, 3, 4.5]))
        #expect(table["accuracy"] == .float32([0.5, 0.5, 0.5]))
        #expect(try read.readTable("clients")["client"] == .string(["c1", "c2", "c1", "c2", "c1", "c2"]))
        #expect(try read.events == (1...3).map {
            RunEvent(round: Int64($0), time: Double($0), kind: "round_done", detail: #"{"r": \#($0)}"#)
        })
    }

    @Test("snapshots keep tensor order, dotted names, attributes and exact float bits; names list in creation order")
    func snapshots() throws {
        let path = try Scratch.file()
        let run = try RunFile.create(path: path, metadata: sampleMetadata())
        var generator = SplitMix64(seed: 3)
        func tensor(_ name: String, _ shape: [Int]) -> SnapshotTensor {
            SnapshotTensor(name: name, shape: shape, values: (0..<shape.reduce(1, *)).map { _ in
                Float.random(in: -1...1, using: &generator)
            })
        }
        let tensors = [tensor("conv1.weight", [6, 1, 5, 5]), tensor("conv1.bias", [6]), tensor("fc.10.weight", [10, 4]),
                       tensor("fc.2.weight", [4, 3]), tensor("bn.scale", [])]
        try run.writeSnapshot(name: "round_10", tensors: tensors, attributes: ["round": 10, "model": #"{"kind": "cnn"}"#])
        try run.writeSnapshot(name: "round_2", tensors: [(name: "w", shape: [2], values: [1, 2])])
        try run.writeSnapshot(name: "final", tensors: [])
        let again = try #require(throws: RunFileError.self) { try run.writeSnapshot(name: "final", tensors: []) }
        #expect(again.kind == .snapshotExists)
        try run.finish(status: .completed)

        let read = try RunFile.open(path: path)
        #expect(try read.snapshotNames() == ["round_10", "round_2", "final"])
        let snapshot = try read.readSnapshot(name: "round_10")
        #expect(snapshot.tensors.map(\.name) == tensors.map(\.name))
        #expect(snapshot.tensors.map(\.shape) == tensors.map(\.shape))
        #expect(snapshot.tensors.map { bits($0.values) } == tensors.map { bits($0.values) })
        #expect(snapshot.attributes == ["round": 10, "model": #"{"kind": "cnn"}"#])
        #expect(try read.readSnapshot(name: "round_2")["w"]?.values == [1, 2])
        #expect(try read.readSnapshot(name: "final").tensors == [])
        let missing = try #require(throws: RunFileError.self) { try read.readSnapshot(name: "nope") }
        #expect(missing.description == "\(path): no snapshot 'nope'")
    }

    @Test("bad names, reserved names and bad tensors are refused before anything is written")
    func invalidInput() throws {
        let path = try Scratch.file()
        let clash = try #require(throws: RunFileError.self) {
            try RunFile.create(path: path, metadata: sampleMetadata(extra: ["status": "x"]))
        }
        #expect(clash.kind == .invalidName)
        #expect(FileManager.default.fileExists(atPath: path) == false)
        let run = try RunFile.create(path: path, metadata: sampleMetadata())
        for name in ["", "a/b", ".", ".."] {
            #expect(throws: RunFileError.self) { try run.metrics(name, columns: [ColumnSpec("x", .int64)]) }
            #expect(throws: RunFileError.self) { try run.writeSnapshot(name: name, tensors: []) }
        }
        #expect(throws: RunFileError.self) {
            try run.writeSnapshot(name: "s", tensors: [SnapshotTensor(name: "w", shape: [1], values: [1]),
                                                       SnapshotTensor(name: "w", shape: [1], values: [2])])
        }
        #expect(throws: RunFileError.self) { try run.writeSnapshot(name: "s", tensors: [], attributes: ["order": "x"]) }
        #expect(throws: RunFileError.self) { try run.setConfiguration(json: "{}", attributes: ["json": "x"]) }
        let shape = try #require(throws: StorageError.self) {
            try run.writeSnapshot(name: "s", tensors: [SnapshotTensor(name: "w", shape: [2, 2], values: [1])])
        }
        #expect(shape.description == "\(path): /snapshots/s/w: shape [2, 2] does not hold 1 values")
        #expect(try run.snapshotNames() == [])
    }

    @Test("a closed run file and a read-only one refuse writes with a clear error")
    func closedAndReadOnly() throws {
        let path = try Scratch.file()
        let run = try RunFile.create(path: path, metadata: sampleMetadata())
        try run.close()
        try run.close()
        let closed = try #require(throws: RunFileError.self) { try run.logEvent(round: 1, time: 0, kind: "k", detail: "{}") }
        #expect(closed.description == "\(path): run file is closed")
        let read = try RunFile.open(path: path)
        #expect(try read.status == .running)  // closed without finish
        let readOnly = try #require(throws: RunFileError.self) { try read.finish(status: .completed) }
        #expect(readOnly.kind == .readOnly)
    }
}
