import Storage
import Testing

@Suite("h5py interoperability")
struct InteropTests {
    @Test("h5py reads root attributes as str, a metrics table as a structured array and snapshots as float32")
    func h5pyReadsRunFile() throws {
        let path = try Scratch.file()
        let run = try RunFile.create(path: path, metadata: sampleMetadata(extra: ["strategy": "minkld"]))
        try run.setConfiguration(json: #"{"rounds": 2}"#, attributes: ["rounds": 2, "lr": 0.125, "clusters": .int64s([3, 4])])
        let table = try run.metrics("global", columns: [ColumnSpec("round", .int64), ColumnSpec("time_s", .float64),
                                                        ColumnSpec("accuracy", .float32), ColumnSpec("note", .string)])
        try table.append([1, 0.5, .float32(0.75), "première"])
        try table.append([2, 1.25, .float32(0.875), "second ✓"])
        try run.logEvent(round: 2, time: 1.25, kind: "node_removed", detail: #"{"node": "n9"}"#)
        let weight = SnapshotTensor(name: "conv1.weight", shape: [6, 1, 5, 5], values: (0..<150).map { Float($0 - 75) / 8 })
        let bias = SnapshotTensor(name: "conv1.bias", shape: [6], values: [1, 2, 3, 4, 5, 6])
        try run.writeSnapshot(name: "round_2", tensors: [weight, bias], attributes: ["round": 2, "model": #"{"kind":"cnn"}"#])
        try run.finish(status: .completed)

        try Python.ensureH5py()
        let script = #"""
        import sys, h5py, numpy as np
        with h5py.File(sys.argv[1], "r") as f:
            a = f.attrs
            for key, value in [("status", "completed"), ("aiotwin_version", "0.1.0-test"), ("created", "2025-01-31T12:00:00Z"),
                               ("command", "aiotwin run scripts/x.lua"), ("script", "print('héllo')\nreturn 1\n"),
                               ("host", "test-host"), ("strategy", "minkld")]:
                assert type(a[key]) is str and a[key] == value, (key, a[key])
            assert a["seed"] == 42 and a["seed"].dtype == np.int64
            c = f["config"].attrs
            assert c["json"] == '{"rounds": 2}' and c["rounds"] == 2 and c["lr"] == 0.125
            assert list(c["clusters"]) == [3, 4]
            t = f["metrics/global"][:]
            assert t.dtype.names == ("round", "time_s", "accuracy", "note"), t.dtype
            assert t.dtype["round"] == np.int64 and t.dtype["time_s"] == np.float64 and t.dtype["accuracy"] == np.float32
            assert h5py.check_string_dtype(t.dtype["note"]).encoding == "utf-8"
            assert list(t["round"]) == [1, 2] and list(t["time_s"]) == [0.5, 1.25]
            assert list(t["accuracy"]) == [np.float32(0.75), np.float32(0.875)]
            assert [s.decode() for s in t["note"]] == ["première", "second ✓"]
            e = f["events"][:]
            assert e["kind"][0].decode() == "node_removed" and e["detail"][0].decode() == '{"node": "n9"}'
            s = f["snapshots/round_2"]
            assert list(s.attrs["order"]) == ["conv1.weight", "conv1.bias"], s.attrs["order"]
            assert s.attrs["round"] == 2 and s.attrs["model"] == '{"kind":"cnn"}'
            w = s["conv1.weight"]
            assert w.shape == (6, 1, 5, 5) and w.dtype == np.float32, (w.shape, w.dtype)
            assert w.compression == "gzip" and w.shuffle
            assert np.array_equal(w[:].ravel(), (np.arange(150, dtype=np.float32) - 75) / 8)
            assert list(s["conv1.bias"][:]) == [1, 2, 3, 4, 5, 6]
        print("ok")
        """#
        let result = try Python.run(script, [path])
        #expect(result.stdout == "ok\n", "h5py check failed: \(result.stderr)")
    }
}
