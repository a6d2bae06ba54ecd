import Foundation
import Testing

@Suite("aiotwin command line")
struct CLITests {
    @Test("--version prints the version")
    func version() throws {
        let r = try AIoTwinBinary.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test("every command has --help", arguments: [[], ["train"], ["bench"], ["bench", "train"], ["doctor"]])
    func help(_ command: [String]) throws {
        let r = try AIoTwinBinary.run(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE"))
    }

    @Test("train on the synthetic data set prints JSON with a test accuracy")
    func trainJSON() throws {
        let r = try AIoTwinBinary.run(["train", "--dataset", "synthetic", "--epochs", "2", "--train-limit", "2000",
                                       "--test-limit", "500", "--threads", "2", "--seed", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let accuracy = try #require(object?["test_accuracy"] as? Double)
        #expect(accuracy > 0.8, "synthetic task should be learnt: \(accuracy)")
        #expect((object?["epochs"] as? [[String: Double]])?.count == 2)
        #expect(object?["parameters"] as? Int == 582_026)
        // Same seed, same threads: the same numbers.
        let again = try AIoTwinBinary.run(["train", "--dataset", "synthetic", "--epochs", "2", "--train-limit", "2000",
                                           "--test-limit", "500", "--threads", "2", "--seed", "3", "--json"])
        let o2 = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]
        #expect(o2?["test_accuracy"] as? Double == accuracy)
    }

    @Test("progress is reported as plain lines when stderr is not a terminal")
    func progress() throws {
        let r = try AIoTwinBinary.run(["train", "--dataset", "synthetic", "--epochs", "1", "--train-limit", "600", "--test-limit", "100", "--model", "mlp"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("samples/s"))
        #expect(r.stderr.contains("ETA"))
        #expect(!r.stderr.contains("\r"))
        #expect(r.stdout.contains("test accuracy"))
    }

    @Test("bad input: one clear line and a non-zero exit", arguments: [
        (["train", "--dataset", "mnist"], "--data-dir"),
        (["train", "--dataset", "fashion-mnist", "--data-dir", "/nonexistent/dir"], "/nonexistent/dir"),
        (["train", "--dataset", "imagenet"], "unknown data set"),
        (["train", "--model", "resnet", "--dataset", "synthetic"], "unknown model"),
        (["train", "--batch-size", "0"], "--batch-size"),
        (["train", "--lr=-1", "--dataset", "synthetic"], "learning rate"),
        (["bench", "train", "--input", "28x28"], "CxHxW"),
    ])
    func badInput(_ args: [String], _ fragment: String) throws {
        let r = try AIoTwinBinary.run(args)
        #expect(r.status != 0)
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test("a corrupt data file is named with its offset")
    func corruptData() throws {
        let dir = try AIoTwinBinary.temporaryDirectory()
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            try Data([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]).write(to: URL(fileURLWithPath: "\(dir)/\(name)"))
        }
        let r = try AIoTwinBinary.run(["train", "--dataset", "mnist", "--data-dir", dir])
        #expect(r.status != 0)
        #expect(r.stderr.contains("train-images-idx3-ubyte"))
        #expect(r.stderr.contains("offset 0"))
    }

    @Test("bench train --json prints rows with the documented keys")
    func benchJSON() throws {
        let r = try AIoTwinBinary.run(["bench", "train", "--json", "--steps", "3", "--input", "1x28x28", "3x32x32",
                                       "--batch", "8", "--threads", "1", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 4)
        for row in rows {
            #expect(Set(row.keys) == ["input", "batch", "threads", "samples_per_s", "gflops"])
            #expect((row["samples_per_s"] as? Double ?? 0) > 0)
        }
        #expect(rows.map { $0["input"] as? String } == ["1x28x28", "1x28x28", "3x32x32", "3x32x32"])
    }

    @Test("doctor reports the BLAS kernel, Lua and HDF5")
    func doctor() throws {
        let r = try AIoTwinBinary.run(["doctor"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("BLAS kernel"))
        #expect(r.stdout.contains("Lua 5.4"))
        #expect(r.stdout.contains("HDF5"))
        #expect(r.stdout.contains("sgemm check"))
    }

    /// Exercises the restart with a better kernel. Runs only where the environment leaves
    /// OPENBLAS_CORETYPE unset: tests never set or change it themselves.
    @Test("a kernel fallback restarts aiotwin with a better kernel, once",
          .enabled(if: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil))
    func restart() throws {
        let r = try AIoTwinBinary.run(["doctor"], environment: ["AIOTWIN_ASSUME_BLAS_CORE": "Prescott"])
        #expect(r.status == 0)
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpuinfo.contains(" avx2") {
            #expect(r.stdout.contains("selected by aiotwin"), "\(r.stdout)")
        }
    }
}
