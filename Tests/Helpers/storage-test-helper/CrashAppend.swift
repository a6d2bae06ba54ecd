import Foundation
import Storage

/// The columns and the deterministic content of row `i` of the crash test's `/metrics/global`
/// (StorageTests recomputes the same values).
enum CrashRows {
    static let columns = [ColumnSpec("round", .int64), ColumnSpec("time_s", .float64),
                          ColumnSpec("accuracy", .float32), ColumnSpec("note", .string)]

    static func row(_ i: Int) -> [RowValue] {
        [.int64(Int64(i)), .float64(Double(i) * 0.25), .float32(Float(i) / 7), .string("row \(i) é")]
    }
}

/// Appends `rows` rows, flushing after each, prints `ready <rows>`, then waits to be killed
/// (optionally appending more rows without flushing meanwhile).
func crashAppend(path: String, rows: Int, keepWriting: Bool) throws -> Never {
    let metadata = RunMetadata(aiotwinVersion: "test", created: "2025-01-01T00:00:00Z", seed: 7,
                               command: "storage-test-helper crash", script: "-- none", host: "test")
    let run = try RunFile.create(path: path, metadata: metadata, overwrite: true)
    let table = try run.metrics("global", columns: CrashRows.columns)
    for i in 0..<rows {
        try table.append(CrashRows.row(i))
        try run.logEvent(round: Int64(i), time: Double(i), kind: "round_done", detail: "{\"i\":\(i)}")
        try run.flush()
    }
    FileHandle.standardOutput.write(Data("ready \(rows)\n".utf8))  // unbuffered
    var next = rows
    while true {
        if keepWriting {
            try table.append(CrashRows.row(next))
            next += 1
        } else {
            usleep(100_000)
        }
    }
}
