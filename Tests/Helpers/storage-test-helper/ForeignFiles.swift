import Foundation
import Storage

/// Writes a garbage file, a truncated run file, an HDF5 file that is not a run file, one with a bad
/// status and names a missing one; opens each as a run file on the main thread and on a second
/// thread, and prints `<thread> <name>: <error>` per attempt. HDF5 must print nothing itself.
func printForeignFileErrors(directory: String) throws {
    let files = try makeForeignFiles(directory: directory)
    for name in files { print("main \(name): \(openError(directory + "/" + name))") }
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        for name in files { print("thread \(name): \(openError(directory + "/" + name))") }
        done.signal()
    }
    thread.start()
    done.wait()
}

/// Creates the broken files in `directory` and returns their names (plus one that does not exist).
func makeForeignFiles(directory: String) throws -> [String] {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data(String(repeating: "this is not an HDF5 file\n", count: 100).utf8)
        .write(to: URL(fileURLWithPath: directory + "/garbage.h5"))

    let truncated = directory + "/truncated.h5"
    let run = try RunFile.create(path: truncated, metadata: RunMetadata(aiotwinVersion: "t", seed: 1, command: "c", script: "s"),
                                 overwrite: true)
    let table = try run.metrics("global", columns: [ColumnSpec("x", .float64)])
    try table.append(rows: (0..<2000).map { [.float64(Double($0))] })
    try run.finish(status: .completed)
    let size = try FileManager.default.attributesOfItem(atPath: truncated)[.size] as? Int ?? 0
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: truncated))
    try handle.truncate(atOffset: UInt64(size / 2))
    try handle.close()

    let foreign = try H5File.create(path: directory + "/foreign.h5", overwrite: true)
    try foreign.rootGroup().setAttribute("title", "someone else's data")
    try foreign.close()

    let badStatus = try H5File.create(path: directory + "/bad-status.h5", overwrite: true)
    try badStatus.rootGroup().setAttribute("status", 42)
    try badStatus.close()
    return ["garbage.h5", "truncated.h5", "foreign.h5", "bad-status.h5", "missing.h5"]
}

/// The error of opening `path` as a run file and reading its metrics, or `no error`.
func openError(_ path: String) -> String {
    do {
        let run = try RunFile.open(path: path)
        _ = try run.readTable("global")
        return "no error"
    } catch {
        return "\(error)"
    }
}
