import Foundation
import Storage
import Testing

@Suite("Foreign, broken and missing files")
struct ForeignFileTests {
    @Test("non-HDF5, truncated, foreign and missing files give one-line errors naming the file")
    func errors() throws {
        let dir = try Scratch.directory()
        let garbage = dir + "/garbage.h5"
        try Data("definitely not HDF5\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let notHDF5 = try #require(throws: HDF5Error.self) { try RunFile.open(path: garbage) }
        #expect(notHDF5.description == "\(garbage): cannot open: file signature not found")

        let truncated = dir + "/truncated.h5"
        let run = try RunFile.create(path: truncated, metadata: sampleMetadata())
        try run.writeSnapshot(name: "s", tensors: [SnapshotTensor(name: "w", shape: [1000], values: .init(repeating: 1, count: 1000))])
        try run.finish(status: .completed)
        let data = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        let cut = try #require(throws: HDF5Error.self) { try RunFile.open(path: truncated) }
        #expect(cut.description.hasPrefix("\(truncated): cannot open: truncated file: eof = "))
        #expect(cut.frames.count > 1)

        let foreign = dir + "/foreign.h5"
        try H5File.create(path: foreign).rootGroup().setAttribute("title", "not a run")
        let notRun = try #require(throws: RunFileError.self) { try RunFile.open(path: foreign) }
        #expect(notRun.kind == .notARunFile)
        #expect(notRun.description == "\(foreign): not an aiotwin run file: no root attribute 'status'")

        let missing = dir + "/missing.h5"
        let absent = try #require(throws: HDF5Error.self) { try RunFile.open(path: missing) }
        #expect(absent.description.hasPrefix("\(missing): cannot open: unable to open file"))
        #expect(absent.description.contains("No such file or directory"))
    }

    @Test("a damaged compressed chunk opens but fails to read with an error naming the dataset")
    func damagedChunk() throws {
        let path = try Scratch.file()
        let run = try RunFile.create(path: path, metadata: sampleMetadata())
        let values = (0..<4096).map { Float($0 % 97) / 7 }
        try run.writeSnapshot(name: "s", tensors: [SnapshotTensor(name: "fc.weight", shape: [64, 64], values: values)])
        try run.finish(status: .completed)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let zlibHeaders = (0..<bytes.count - 1).filter { bytes[$0] == 0x78 && bytes[$0 + 1] == 0x9C }
        try #require(zlibHeaders.count == 1, "expected one deflate stream, found \(zlibHeaders.count)")
        for i in zlibHeaders[0] + 2 ..< zlibHeaders[0] + 66 { bytes[i] = 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let damaged = try RunFile.open(path: path)
        #expect(try damaged.snapshotNames() == ["s"])
        let error = try #require(throws: HDF5Error.self) { try damaged.readSnapshot(name: "s") }
        #expect(error.description.hasPrefix("\(path): cannot read /snapshots/s/fc.weight: "))
        #expect(error.description.hasSuffix("inflate() failed"), "\(error.fullDescription)")
    }

    @Test("HDF5 prints nothing to stderr for broken files, on the main thread or another one")
    func silent() throws {
        let dir = try Scratch.directory()
        let result = try Helper.run(["errors", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "", "HDF5 printed: \(result.stderr)")
        for thread in ["main", "thread"] {
            #expect(result.stdout.contains("\(thread) garbage.h5: \(dir)/garbage.h5: cannot open: file signature not found"))
            #expect(result.stdout.contains("\(thread) truncated.h5: \(dir)/truncated.h5: cannot open: truncated file"))
            #expect(result.stdout.contains("\(thread) foreign.h5: \(dir)/foreign.h5: not an aiotwin run file"))
            #expect(result.stdout.contains("\(thread) bad-status.h5: \(dir)/bad-status.h5: not an aiotwin run file: root attribute 'status' is int64(42)"))
            #expect(result.stdout.contains("\(thread) missing.h5: \(dir)/missing.h5: cannot open: unable to open file"))
        }
    }

    @Test("no HDF5 identifier leaks over full write, read and error cycles")
    func leaks() throws {
        let result = try Helper.run(["leaks", try Scratch.directory()])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("leaks: none"), "\(result.stdout)")
    }
}
