import Foundation
import Storage
import Testing

/// A failure inside test support code (a child process that could not run, a missing tool).
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
}

/// Fresh temporary paths for one test.
enum Scratch {
    /// A new empty directory under the system temporary directory.
    static func directory() throws -> String {
        let dir = NSTemporaryDirectory() + "storage-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A path for a new file `name` in a new directory.
    static func file(_ name: String = "run.h5") throws -> String {
        try directory() + "/" + name
    }
}

/// Metadata with fixed values, for tests.
func sampleMetadata(seed: Int64 = 42, extra: [String: String] = [:]) -> RunMetadata {
    RunMetadata(aiotwinVersion: "0.1.0-test", created: "2025-01-31T12:00:00Z", seed: seed,
                command: "aiotwin run scripts/x.lua", script: "print('héllo')\nreturn 1\n", host: "test-host", extra: extra)
}

/// The bit patterns of `values` (compares NaN payloads and signed zeros exactly).
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// A finished child process.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A started child process whose output goes to files (so it can never block on a full pipe).
final class ChildProcess {
    let process = Process()
    private let outPath: String
    private let errPath: String

    /// Starts `executable` with `arguments`.
    init(_ executable: String, _ arguments: [String]) throws {
        let dir = try Scratch.directory()
        outPath = dir + "/stdout"
        errPath = dir + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    /// What the child has written to stdout so far.
    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    /// What the child has written to stderr so far.
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Waits until stdout contains `text`; false after `timeout` seconds or if the child exits first.
    func waitForOutput(_ text: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            if !process.isRunning { return stdout.contains(text) }
            usleep(10_000)
        }
        return false
    }

    /// Waits for exit and returns the result.
    func finish() -> ProcessResult {
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Runs to completion.
    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
        try ChildProcess(executable, arguments).finish()
    }
}

/// The `storage-test-helper` executable built beside the test runner.
enum Helper {
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["STORAGE_TEST_HELPER"] { return path }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: runner).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("storage-test-helper").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("storage-test-helper").path
    }

    static func run(_ arguments: [String]) throws -> ProcessResult {
        try ChildProcess(path, arguments).finish()
    }
}

/// Runs Python scripts that read files with h5py, installing h5py with pip if it is missing.
enum Python {
    private static let installLock = NSLock()

    /// Makes sure `import h5py` works, running `python3 -m pip install --quiet h5py` if not.
    static func ensureH5py() throws {
        installLock.lock()
        defer { installLock.unlock() }
        if try run("import h5py").status == 0 { return }
        let install = try ChildProcess.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet", "h5py"])
        let check = try run("import h5py")
        guard check.status == 0 else {
            throw TestSupportError(description: "h5py is not importable and `python3 -m pip install --quiet h5py` failed "
                                   + "(exit \(install.status)): \(install.stderr) \(check.stderr)")
        }
    }

    /// Runs `python3 -c script args…`.
    static func run(_ script: String, _ arguments: [String] = []) throws -> ProcessResult {
        try ChildProcess.run("/usr/bin/env", ["python3", "-c", script] + arguments)
    }
}
