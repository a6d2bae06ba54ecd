import Foundation
import Storage

/// Runs a full write/read/error cycle twice; after each, every identifier must be closed. Prints
/// the counts; true when nothing leaked.
func checkLeaks(directory: String) throws -> Bool {
    var clean = true
    for cycle in 1...2 {
        try fullCycle(directory: directory)
        let handles = HDF5Library.openHandleCount, objects = HDF5Library.openObjectCount
        print("cycle \(cycle): open handles \(handles), open HDF5 objects \(objects)")
        clean = clean && handles == 0 && objects == 0
    }
    print(clean ? "leaks: none" : "leaks: FOUND")
    return clean
}

private func fullCycle(directory: String) throws {
    let path = directory + "/cycle.h5"
    let run = try RunFile.create(path: path, metadata: RunMetadata(aiotwinVersion: "t", seed: 1, command: "c", script: "s",
                                                                   extra: ["note": "x"]), overwrite: true)
    try run.setConfiguration(json: "{}", attributes: ["rounds": 3, "lr": 0.1, "ids": .int64s([1, 2])])
    let table = try run.metrics("global", columns: [ColumnSpec("round", .int64), ColumnSpec("loss", .float64),
                                                    ColumnSpec("acc", .float32), ColumnSpec("note", .string)])
    for i in 0..<20 { try table.append([.int64(Int64(i)), 0.5, .float32(1), "n"]) }
    _ = try? table.append([1])
    try run.logEvent(round: 1, time: 0.5, kind: "k", detail: "{}")
    try run.writeSnapshot(name: "s", tensors: [SnapshotTensor(name: "a.weight", shape: [2, 2], values: [1, 2, 3, 4])],
                          attributes: ["round": 1])
    try run.finish(status: .completed)

    let read = try RunFile.open(path: path)
    _ = try (read.status, read.metadata, read.configurationJSON, read.configurationAttributes, read.tableNames, read.events)
    _ = try read.readTable("global")
    _ = try read.snapshotNames().map { try read.readSnapshot(name: $0) }
    _ = try? read.readSnapshot(name: "missing")
    _ = try? read.readTable("missing")
    _ = try? read.logEvent(round: 1, time: 1, kind: "k", detail: "{}")
    let file = try H5File.open(path: path)
    let root = try file.rootGroup()
    _ = try root.children()
    _ = try root.group("snapshots/s").children()
    _ = try? root.dataset("events").read(Float.self)
    _ = try? root.attribute("missing")
    try read.close()

    for name in try makeForeignFiles(directory: directory + "/foreign") {
        _ = openError(directory + "/foreign/" + name)
    }
}
