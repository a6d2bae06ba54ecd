import Foundation
import Storage
import Testing

/// The researcher's workflow through the real binary: Lua scripts in, run files out, compared,
/// inspected; plugins; notebooks; failures.
@Suite("Lua workflow")
struct LuaWorkflowTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func write(_ text: String, to path: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }

    func runFiles(in dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".h5") }.sorted().map { dir + "/" + $0 }
    }

    @Test("the example scripts run in a small configuration and record completed runs",
          arguments: ["centralised", "lr_sweep", "partitions", "strategy_demo", "fl_label_skew", "fl_data_splits", "fl_hierarchy"])
    func examples(_ name: String) throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        let r = try AIoTwinBinary.run(["run", "\(Self.repository)/scripts/\(name).lua", "--out", dir, "--set", "data=synthetic",
                                       "--set", "train_limit=600", "--set", "test_limit=200", "--set", "epochs=1",
                                       "--set", "rounds=1", "--set", "per_class=20"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("run file: \(dir)/\(name)-"))
        let main = try #require(try runFiles(in: dir).first { $0.contains("/\(name)-") })
        let file = try RunFile.open(path: main)
        #expect(try file.status == .completed)
        #expect(try file.metadata.script.contains("aiotwin"))
        #expect(try !file.tableNames.isEmpty)
    }

    @Test("the same seed reproduces the same metrics; another seed does not")
    func reproducible() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        func accuracies(seed: Int, name: String) throws -> [Double] {
            let r = try AIoTwinBinary.run(["run", "\(Self.repository)/scripts/centralised.lua", "--out", dir, "--name", name,
                                           "--seed", "\(seed)", "--set", "data=synthetic", "--set", "train_limit=800",
                                           "--set", "test_limit=300", "--set", "epochs=2"], directory: dir)
            #expect(r.status == 0, "\(r.stderr)")
            return try RunFile.open(path: "\(dir)/\(name).h5").readTable("global")["loss"]?.float64s ?? []
        }
        let a = try accuracies(seed: 3, name: "a"), b = try accuracies(seed: 3, name: "b"), c = try accuracies(seed: 4, name: "c")
        #expect(a.count == 2 && a == b)
        #expect(a != c)
        // --name refuses to overwrite.
        let again = try AIoTwinBinary.run(["run", "\(Self.repository)/scripts/centralised.lua", "--out", dir, "--name", "a"], directory: dir)
        #expect(again.status != 0 && again.stderr.contains("a.h5"))
    }

    @Test("script errors give file:line, a non-zero exit and a run file marked failed", arguments: [
        ("syntax.lua", "print('ok')\nlocal x = = 1\n", "syntax.lua:2:"),
        ("runtime.lua", "aiotwin.log('g', { round = 1, v = 2 })\nlocal t\nprint(t.x)\n", "runtime.lua:3: attempt to index a nil value"),
        ("escape.lua", "os.execute('touch /tmp/pwned')\n", "escape.lua:1: os.execute is not available"),
        ("files.lua", "local f = io.open('/etc/passwd')\n", "files.lua:1: io is not available"),
        ("outside.lua", "aiotwin.runs.read('/etc/hostname')\n", "outside the working directory"),
        ("loop.lua", "while true do pcall(function() while true do end end) end\n", "instruction limit exceeded"),
        ("memory.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = string.rep('x', 64) .. i end\n", "not enough memory"),
    ])
    func failures(_ name: String, _ source: String, _ message: String) throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try write(source, to: "\(dir)/\(name)")
        let r = try AIoTwinBinary.run(["run", name, "--out", "out", "--max-instructions", "50000000", "--max-memory", "64"], directory: dir)
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        let file = try RunFile.open(path: try #require(try runFiles(in: dir + "/out").first))
        guard case let .failed(reason) = try file.status else { Issue.record("status \(try file.status)"); return }
        #expect(reason.contains(message))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned") || name != "escape.lua")
    }

    @Test("a run killed with SIGKILL keeps every logged row and says it did not finish")
    func killed() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try write("""
            for round = 1, 5 do aiotwin.log("global", { round = round, accuracy = round / 10 }) end
            print("ready")
            while true do end
            """, to: "\(dir)/spin.lua")
        let reason = try AIoTwinBinary.killed(["run", "spin.lua", "--out", "out", "--name", "spin", "--max-instructions", "0"],
                                              directory: dir, after: "ready")
        #expect(reason == .uncaughtSignal)
        let path = "\(dir)/out/spin.h5"
        let file = try RunFile.open(path: path)
        #expect(try file.status == .running)
        #expect(try file.readTable("global")["round"]?.int64s == [1, 2, 3, 4, 5])
        // h5py reads it too.
        let py = try Python.run("""
            import h5py, sys
            f = h5py.File(sys.argv[1], "r")
            print(f.attrs["status"], len(f["metrics/global"]), f["metrics/global"]["accuracy"][-1])
            """, path)
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "running 5 0.5")
    }

    @Test("compare and inspect read run files; foreign and corrupt files are named in the error")
    func compareAndInspect() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try write("""
            for _, spec in ipairs({ { "a", 0.1 }, { "b", 0.2 } }) do
              local run = aiotwin.runs.create{ name = spec[1] }
              for round = 1, 4 do run:log("global", { round = round, accuracy = spec[2] * round, cost_total = 10 * round }) end
              run:finish()
            end
            """, to: "\(dir)/two.lua")
        #expect(try AIoTwinBinary.run(["run", "two.lua", "--out", "out"], directory: dir).status == 0)
        let csv = try AIoTwinBinary.run(["compare", "out/a.h5", "out/b.h5", "--by", "cost", "--target", "0.6", "--format", "csv",
                                         "--plot", "cmp.svg"], directory: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1] == "a,completed,4,0.4,0.4,40,never")
        #expect(lines[2] == "b,completed,4,0.8,0.8,40,30")
        let svg = try String(contentsOfFile: "\(dir)/cmp.svg", encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains(">a<") && svg.contains(">b<"))

        for kind in ["cdf", "histogram"] {
            let r = try AIoTwinBinary.run(["compare", "out/a.h5", "out/b.h5", "--kind", kind, "--plot", "\(kind).svg"], directory: dir)
            #expect(r.status == 0)
            let plot = try String(contentsOfFile: "\(dir)/\(kind).svg", encoding: .utf8)
            #expect(plot.contains(kind == "cdf" ? "Distribution of accuracy" : "Histogram of accuracy"))
        }

        let json = try AIoTwinBinary.run(["inspect", "out/a.h5", "--json"], directory: dir)
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((tree["attributes"] as? [String: Any])?["status"] as? String == "completed")
        #expect(json.stdout.contains("\"rows\" : 4"))

        let foreign = "\(dir)/foreign.h5"
        let h5 = try H5File.create(path: foreign)
        try h5.rootGroup().setAttribute("owner", "someone else")
        try h5.close()
        let notRun = try AIoTwinBinary.run(["compare", foreign], directory: dir)
        #expect(notRun.status != 0 && notRun.stderr.contains(foreign))
        #expect(try AIoTwinBinary.run(["inspect", foreign], directory: dir).stdout.contains("@owner = \"someone else\""))
        let corrupt = "\(dir)/corrupt.h5"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/out/a.h5"))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: corrupt))
        for command in [["compare", corrupt], ["inspect", corrupt]] {
            let r = try AIoTwinBinary.run(command, directory: dir)
            #expect(r.status != 0 && r.stderr.contains(corrupt), "\(command): \(r.stderr)")
            #expect(!r.stderr.contains("HDF5-DIAG"))
        }
    }

    @Test("plugins: list, show, unknown names, and a user's own plugin folder")
    func plugins() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/mine/balancers", withIntermediateDirectories: true)
        try write("return { kind = 'balancer', name = 'first', version = '0.1', params = { k = 1 }, pick = function(pool) return pool[1] end }",
                  to: "\(dir)/mine/balancers/first.lua")
        let list = try AIoTwinBinary.run(["plugins", "list", "--plugins", "mine"], directory: dir)
        #expect(list.status == 0)
        for name in ["first", "round_robin", "ewma", "random_in_pool"] { #expect(list.stdout.contains(name)) }
        let show = try AIoTwinBinary.run(["plugins", "show", "first", "--plugins", "mine"], directory: dir)
        #expect(show.stdout.contains("first 0.1 (balancer)") && show.stdout.contains("k = 1") && show.stdout.contains("pick"))
        let unknown = try AIoTwinBinary.run(["plugins", "show", "nope"], directory: dir)
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown plugin 'nope' (available:") && unknown.stderr.contains("ewma"))
        try write("local b = aiotwin.plugin('first'); print(b.pick({ 'x', 'y' }))", to: "\(dir)/use.lua")
        let use = try AIoTwinBinary.run(["run", "use.lua", "--plugins", "mine", "--out", "out"], directory: dir)
        #expect(use.status == 0 && use.stdout.hasPrefix("x\n"), "\(use.stderr)")
    }

    @Test("a notebook runs block by block, writes outputs back, and re-runs identically")
    func notebook() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        let notebook = "\(dir)/nb.md"
        try write("""
            # Test notebook

            ```lua
            d = aiotwin.data.synthetic{ classes = 3, shape = {1, 8, 8}, train = 300, test = 90 }
            print(d.train)
            ```

            Plain text and a shell block that must not run:

            ```sh
            rm -rf /
            ```

            ```lua
            local run = aiotwin.runs.create{ name = "nb" }
            for r = 1, 3 do run:log("global", { round = r, accuracy = r / 4 }) end
            run:finish()
            aiotwin.plot.line{ file = "acc.svg", title = "Accuracy", series = { { name = "nb", y = { 0.25, 0.5, 0.75 } } } }
            return 6 * 7
            ```
            """, to: notebook)
        let first = try AIoTwinBinary.run(["notebook", "run", "nb.md"], directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let text = try String(contentsOfFile: notebook, encoding: .utf8)
        #expect(text.contains("Dataset(synthetic, 300 samples of 1x8x8, 3 classes)"))
        #expect(text.contains("=> 42"))
        #expect(text.contains("![Accuracy](nb.files/acc.svg)"))
        #expect(text.components(separatedBy: "<!-- aiotwin:output -->").count == 3)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/nb.files/nb.h5"))
        let second = try AIoTwinBinary.run(["notebook", "run", "nb.md"], directory: dir)
        #expect(second.status == 0)
        #expect(try String(contentsOfFile: notebook, encoding: .utf8) == text)
        #expect(try AIoTwinBinary.run(["notebook", "run", "nb.md", "--check"], directory: dir).status == 0)

        let broken = text.replacingOccurrences(of: "return 6 * 7", with: "return nil + 1")
        try write(broken, to: notebook)
        let line = try #require(broken.components(separatedBy: "\n").firstIndex(of: "return nil + 1")) + 1
        let failing = try AIoTwinBinary.run(["notebook", "run", "nb.md"], directory: dir)
        #expect(failing.status != 0)
        let failed = try String(contentsOfFile: notebook, encoding: .utf8)
        #expect(failed.contains("> **error:** nb.md:\(line): attempt to perform arithmetic on a nil value"), "\(failed)")
    }
}

/// Runs Python with h5py, installing h5py from PyPI when it is missing.
enum Python {
    static func run(_ script: String, _ arguments: String...) throws -> AIoTwinBinary.Result {
        if try shell(["python3", "-c", "import h5py"]).status != 0 {
            _ = try shell(["python3", "-m", "pip", "install", "--quiet", "h5py"])
        }
        return try shell(["python3", "-c", script] + arguments)
    }

    static func shell(_ args: [String]) throws -> AIoTwinBinary.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return AIoTwinBinary.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
