import CZlib
import Foundation

/// Reads files that may be gzip-compressed (as Debian ships MNIST-format data sets).
enum CompressedFile {
    /// The file's bytes, inflated when it starts with the gzip magic `1f 8b`.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LearningError.invalidDataFile(path: path, offset: nil, problem: "cannot be read (missing or not readable)")
        }
        let bytes = [UInt8](data)
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            return try gunzip(bytes, path: path)
        }
        return bytes
    }

    /// Inflates a gzip stream (all members); errors name the compressed byte offset.
    static func gunzip(_ input: [UInt8], path: String) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            throw LearningError.invalidDataFile(path: path, offset: nil, problem: "cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress!)
            stream.avail_in = uInt(inp.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress!
                    stream.avail_out = uInt(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                output.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another gzip member may follow (concatenated .gz files are valid gzip).
                    if stream.avail_in > 0 && inp[Int(stream.total_in)] == 0x1F {
                        guard inflateReset(&stream) == Z_OK else { return }
                        continue
                    }
                    return
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw LearningError.invalidDataFile(path: path, offset: Int(stream.total_in),
                                                        problem: "truncated gzip stream (compressed data ends early)")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw LearningError.invalidDataFile(path: path, offset: Int(stream.total_in),
                                                        problem: "corrupt gzip data: \(message)")
                }
            }
        }
        return output
    }
}
