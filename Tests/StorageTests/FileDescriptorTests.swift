import Foundation
import Storage
import Testing

@Suite("File descriptors")
struct FileDescriptorTests {
    @Test("HDF5's descriptor is close-on-exec, so spawned children do not inherit the file lock")
    func closeOnExec() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path
        }
        try #require(fds.count == 1)
        let info = try String(contentsOfFile: "/proc/self/fdinfo/\(fds[0])", encoding: .utf8)
        let flags = try #require(info.split(separator: "\n").first { $0.hasPrefix("flags:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) })
        #expect(flags & 0o2000000 != 0, "O_CLOEXEC missing: \(info)")
        try file.close()
    }
}
