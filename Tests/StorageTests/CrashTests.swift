import Foundation
import Glibc
import Storage
import Testing

@Suite("Crash safety")
struct CrashTests {
    /// Row `i` as written by `storage-test-helper crash`.
    static func row(_ i: Int) -> (round: Int64, time: Double, accuracy: Float, note: String) {
        (Int64(i), Double(i) * 0.25, Float(i) / 7, "row \(i) é")
    }

    @Test("a writer killed with SIGKILL after flushing leaves every flushed row readable, status running",
          arguments: [false, true])
    func sigkill(keepWriting: Bool) throws {
        let path = try Scratch.file("crash.h5")
        let rows = 300
        let child = try ChildProcess(Helper.path, ["crash", path, "\(rows)"] + (keepWriting ? ["--keep-writing"] : []))
        let ready = child.waitForOutput("ready \(rows)", timeout: 60)
        if keepWriting { usleep(200_000) }  // let it append unflushed rows for a while
        kill(child.process.processIdentifier, SIGKILL)
        let result = child.finish()
        try #require(ready, "helper never became ready: \(result.stdout) \(result.stderr)")
        #expect(result.stderr == "")
        #expect(child.process.terminationReason == .uncaughtSignal)

        let run = try RunFile.open(path: path)
        #expect(try run.status == .running)
        #expect(try run.isComplete == false)
        #expect(try run.metadata.seed == 7)
        let table = try run.readTable("global")
        #expect(keepWriting ? table.rowCount >= rows : table.rowCount == rows)
        let expected = (0..<rows).map(Self.row)
        #expect(table["round"]?.int64s?.prefix(rows).elementsEqual(expected.map(\.round)) == true)
        #expect(table["time_s"]?.float64s?.prefix(rows).elementsEqual(expected.map(\.time)) == true)
        #expect(table["accuracy"]?.float32s?.prefix(rows).map(\.bitPattern) == expected.map(\.accuracy.bitPattern))
        #expect(table["note"]?.strings?.prefix(rows).elementsEqual(expected.map(\.note)) == true)
        #expect(try run.events.count == rows)

        try Python.ensureH5py()
        let script = """
        import sys, h5py
        with h5py.File(sys.argv[1], "r") as f:
            assert f.attrs["status"] == "running", f.attrs["status"]
            t = f["metrics/global"][:]
            n = int(sys.argv[2])
            assert len(t) >= n, len(t)
            assert list(t["round"][:n]) == list(range(n))
            assert t["note"][n - 1].decode() == f"row {n - 1} é", t["note"][n - 1]
            assert len(f["events"]) == n
        print("ok")
        """
        let python = try Python.run(script, [path, "\(rows)"])
        #expect(python.stdout == "ok\n", "h5py could not read the crashed file: \(python.stderr)")
    }
}
