import Foundation
import Storage
import Testing

@Suite("HDF5 datasets and groups")
struct DatasetTests {
    @Test("float32 n-d datasets round-trip bit-identically, including NaN payloads and -0")
    func float32RoundTrip() throws {
        let path = try Scratch.file()
        var generator = SplitMix64(seed: 7)
        var values = (0..<(3 * 4 * 5)).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())) }
        values[0] = -0.0
        values[1] = Float(bitPattern: 0x7FC0_1234)  // NaN with payload
        values[2] = .leastNonzeroMagnitude
        let file = try H5File.create(path: path)
        let dataset = try file.rootGroup().createDataset("w", shape: [3, 4, 5], values: values)
        #expect(dataset.shape == [3, 4, 5])
        #expect(dataset.elementType == .float32)
        dataset.close()
        try file.close()

        let read = try H5File.open(path: path).rootGroup().dataset("w")
        #expect(read.shape == [3, 4, 5])
        #expect(bits(try read.read(Float.self)) == bits(values))
    }

    @Test("int64 and float64 1-d, scalar and empty datasets round-trip")
    func otherDatasets() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        let root = try file.rootGroup()
        try root.createDataset("ints", shape: [4], values: [Int64.min, -1, 0, Int64.max])
        try root.createDataset("doubles", shape: [3], values: [0.1, -2.5e300, .pi], compressionLevel: nil)
        try root.createDataset("scalar", shape: [], values: [Float(2.5)])
        try root.createDataset("empty", shape: [0, 3], values: [Float]())
        try file.close()

        let group = try H5File.open(path: path).rootGroup()
        #expect(try group.dataset("ints").read(Int64.self) == [Int64.min, -1, 0, Int64.max])
        #expect(try group.dataset("doubles").read(Double.self) == [0.1, -2.5e300, .pi])
        #expect(try group.dataset("scalar").shape == [])
        #expect(try group.dataset("scalar").read(Float.self) == [2.5])
        #expect(try group.dataset("empty").shape == [0, 3])
        #expect(try group.dataset("empty").read(Float.self) == [])
        #expect(try group.dataset("ints").read(Double.self) == [-9.223372036854776e18, -1, 0, 9.223372036854776e18])
    }

    @Test("float32 datasets are compressed (shuffle + deflate)")
    func compressed() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        try file.rootGroup().createDataset("zeros", shape: [256, 256], values: [Float](repeating: 0.5, count: 65536))
        try file.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 32 * 1024, "a 256 KiB constant tensor should compress well, file is \(size) B")
    }

    @Test("a shape that does not match the values is refused before writing")
    func shapeMismatch() throws {
        let file = try H5File.create(path: try Scratch.file())
        let error = try #require(throws: StorageError.self) {
            try file.rootGroup().createDataset("bad", shape: [2, 3], values: [Float](repeating: 0, count: 5))
        }
        #expect(error.kind == .shape)
        #expect(error.description.contains("/bad: shape [2, 3] does not hold 5 values"))
        #expect(try file.rootGroup().contains("bad") == false)
    }

    @Test("children list groups and datasets with shapes and types, in creation order")
    func children() throws {
        let file = try H5File.create(path: try Scratch.file())
        let root = try file.rootGroup()
        let model = try root.requireGroup("/snap/model")
        try model.createDataset("layer.2.weight", shape: [2, 2], values: [Float](repeating: 1, count: 4))
        try model.createDataset("layer.10.weight", shape: [3], values: [Int64](repeating: 1, count: 3))
        try model.requireGroup("sub")
        _ = try model.createTable("log", columns: [ColumnSpec("x", .float64)])
        #expect(try model.children() == [
            H5Child(name: "layer.2.weight", kind: .dataset(shape: [2, 2], type: .float32)),
            H5Child(name: "layer.10.weight", kind: .dataset(shape: [3], type: .int64)),
            H5Child(name: "sub", kind: .group),
            H5Child(name: "log", kind: .dataset(shape: [0], type: .compound)),
        ])
        #expect(try root.contains("snap/model/sub"))
        #expect(try root.contains("snap/nothing/sub") == false)
        #expect(try root.group("snap").path == "/snap")
        #expect(try root.requireGroup("snap/model").path == "/snap/model")
    }

    @Test("reading a table as numbers is refused")
    func wrongType() throws {
        let path = try Scratch.file()
        let file = try H5File.create(path: path)
        _ = try file.rootGroup().createTable("t", columns: [ColumnSpec("x", .int64)])
        let error = try #require(throws: StorageError.self) { try file.rootGroup().dataset("t").read(Float.self) }
        #expect(error.description == "\(path): /t: cannot read compound data as float32")
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
