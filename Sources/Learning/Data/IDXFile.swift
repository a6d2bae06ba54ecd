/// The IDX format of MNIST-style data sets: a big-endian magic `0x000008DD` (unsigned bytes,
/// `DD` dimensions), `DD` big-endian u32 sizes, then the bytes. Files may be gzip-compressed.
public struct IDXFile: Sendable {
    /// The dimensions, outermost first.
    public let dimensions: [Int]
    /// The data bytes.
    public let bytes: [UInt8]

    /// Reads and checks an IDX file of unsigned bytes with `expectedDimensions` dimensions.
    public init(path: String, expectedDimensions: Int) throws {
        let raw = try CompressedFile.read(path)
        func u32(_ at: Int) throws -> Int {
            guard at + 4 <= raw.count else {
                throw LearningError.invalidDataFile(path: path, offset: raw.count, problem: "truncated header (\(raw.count) bytes)")
            }
            return Int(raw[at]) << 24 | Int(raw[at + 1]) << 16 | Int(raw[at + 2]) << 8 | Int(raw[at + 3])
        }
        let magic = try u32(0)
        let expectedMagic = 0x0800 | expectedDimensions
        guard magic == expectedMagic else {
            throw LearningError.invalidDataFile(
                path: path, offset: 0,
                problem: "bad magic number 0x\(hex(magic)), expected 0x\(hex(expectedMagic)) (IDX, unsigned bytes, \(expectedDimensions) dimensions)")
        }
        var dims: [Int] = []
        for d in 0..<expectedDimensions { dims.append(try u32(4 + 4 * d)) }
        let header = 4 + 4 * expectedDimensions
        let payload = dims.reduce(1, *)
        guard raw.count - header >= payload else {
            throw LearningError.invalidDataFile(path: path, offset: raw.count,
                                                problem: "truncated: dimensions \(Shape.describe(dims)) need \(payload) data bytes, found \(raw.count - header)")
        }
        self.dimensions = dims
        self.bytes = Array(raw[header..<(header + payload)])
    }
}

private func hex(_ v: Int) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}
