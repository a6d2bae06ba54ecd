import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses the HTTP/1.1 responses of one upstream connection straight out of the channel's
/// `ByteBuffer`s, in the order the requests were sent (one at a time: the proxy does not pipeline
/// towards upstreams).
///
/// Why not NIO's `HTTPResponseDecoder`: on the upstream side the proxy knows the request it sent
/// (so HEAD needs no write observation) and forwards bodies untouched, so a small line-oriented
/// parser in the connection handler replaces two pipeline handlers (encoder and write-observing
/// decoder), a boxed message per part and llhttp's per-field callbacks: about a third of the
/// proxy's user time per request on loopback.
///
/// Strictness follows RFC 9112 for a proxy: a status line `HTTP/1.x NNN reason`, header names
/// that are tokens with no space before the colon, no obsolete line folding, `Content-Length`
/// digits only (repeated values must agree), `Content-Length` together with
/// `Transfer-Encoding` rejected (request-smuggling defence), chunk sizes in hex with optional
/// extensions. Lines may end in CRLF or a bare LF. Violations are `HTTPParserError`s, which the
/// proxy answers with 502. Bodies are returned as slices of the received buffers (no copy).
struct UpstreamResponseParser {
    /// Largest status line plus header block (as NIO's decoder: 80 KiB).
    static let maxHeadBytes = 80 * 1024
    /// Largest chunk-size line (with extensions) or trailer block.
    static let maxLineBytes = 8 * 1024

    private enum State {
        /// No response expected: any byte is garbage.
        case idle
        case statusLine
        case headerLines
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    private var state = State.idle
    private var noBody = false
    /// Bytes of an incomplete line carried over from the previous read.
    private var partialLine: ByteBuffer?
    private var headBytes = 0
    private var sawBytes = false
    /// The end of a response whose last part was already returned (a body without more bytes).
    private var queuedEnd = false

    // The head's bytes, when they can be forwarded as they are (see ``takeRawHead()``).
    /// The buffer as it was where the head began (same storage: no copy).
    private var headStart: ByteBuffer?
    private var plainHead = false
    private var lineHadCR = false
    private var rawHead: RawHead?

    /// A final response head exactly as received: HTTP/1.1, CRLF lines, no hop-by-hop fields,
    /// in one read. A proxy whose client speaks HTTP/1.1 and keeps the connection may send these
    /// bytes on untouched instead of re-serialising the parsed head.
    struct RawHead {
        /// Status line, fields and the empty line (a slice of the received buffer).
        let bytes: ByteBuffer
        /// The head has a `Content-Length`.
        let hasContentLength: Bool
    }

    // The head being parsed.
    private var version = HTTPVersion.http1_1
    private var status = HTTPResponseStatus.ok
    private var headers = HTTPHeaders()
    private var contentLength: Int?
    private var transferEncoding: TransferCoding = .none
    private var trailers: HTTPHeaders?

    private enum TransferCoding { case none, chunked, other }

    /// An end is ready to be returned by ``next(_:)`` without more input.
    var hasQueuedEnd: Bool { queuedEnd }

    /// Prepares for the response to a request just sent; `toHead`: it was a HEAD request, so the
    /// response has no body whatever its headers say.
    mutating func expectResponse(toHead: Bool) {
        state = .statusLine
        noBody = toHead
        partialLine = nil
        headBytes = 0
        sawBytes = false
        queuedEnd = false
        rawHead = nil
    }

    /// The raw bytes of the last final head returned by ``next(_:)``, when it qualifies (see
    /// ``RawHead``); cleared by the call.
    mutating func takeRawHead() -> RawHead? {
        defer { rawHead = nil }
        return rawHead
    }

    /// The next complete part of the response in `buffer` (a head, a body slice, the end), or
    /// `nil` when `buffer` holds no complete part any more (its bytes are consumed or kept).
    /// Informational (1xx) heads are returned too, followed by the final response. One part per
    /// call, so that the caller may act on it (even re-use the connection) before parsing on.
    /// Bytes while no response is expected are an error (`trailingGarbage`).
    mutating func next(_ buffer: inout ByteBuffer) throws(HTTPParserError) -> HTTPClientResponsePart? {
        if queuedEnd {
            queuedEnd = false
            return .end(nil)
        }
        while buffer.readableBytes > 0 {
            switch state {
            case .idle:
                throw .trailingGarbage
            case .statusLine:
                sawBytes = true
                // A head that starts in this buffer may be forwarded as received.
                if partialLine == nil { headStart = buffer }
                guard let line = try takeLine(&buffer, limit: Self.maxHeadBytes - headBytes) else {
                    headStart = nil
                    return nil
                }
                headBytes += line.readableBytes + 2
                try parseStatusLine(line)
                plainHead = lineHadCR && version == .http1_1
                headers = HTTPHeaders()
                contentLength = nil
                transferEncoding = .none
                state = .headerLines
            case .headerLines:
                guard let line = try takeLine(&buffer, limit: Self.maxHeadBytes - headBytes) else {
                    headStart = nil
                    return nil
                }
                headBytes += line.readableBytes + 2
                if !lineHadCR { plainHead = false }
                if line.readableBytes == 0 { return try finishHead(buffer) }
                let (name, value) = try Self.field(line)
                // One classification (the proxy's own) serves framing and the raw-head check.
                let kind = ProxyHeaderField.classify(name)
                try noteFraming(kind, value)
                switch kind {
                case .connection, .otherHopByHop, .transferEncoding: plainHead = false
                default: break
                }
                headers.add(name: name, value: value)
            case .fixedBody(let remaining):
                let count = min(remaining, buffer.readableBytes)
                if remaining == count {
                    state = .idle
                    queuedEnd = true
                } else {
                    state = .fixedBody(remaining: remaining - count)
                }
                // A slice of the received buffer: forwarded as is.
                return buffer.readSlice(length: count).map { .body($0) }
            case .chunkSize:
                guard let line = try takeLine(&buffer, limit: Self.maxLineBytes) else { return nil }
                let size = try Self.chunkSize(line)
                if size == 0 {
                    trailers = nil
                    headBytes = 0
                    state = .trailers
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let count = min(remaining, buffer.readableBytes)
                state = remaining == count ? .chunkDataEnd : .chunkData(remaining: remaining - count)
                return buffer.readSlice(length: count).map { .body($0) }
            case .chunkDataEnd:
                guard let line = try takeLine(&buffer, limit: 2) else { return nil }
                guard line.readableBytes == 0 else { throw .lfExpected }
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine(&buffer, limit: Self.maxLineBytes - headBytes) else { return nil }
                headBytes += line.readableBytes + 2
                if line.readableBytes == 0 {
                    let ended = trailers
                    trailers = nil
                    state = .idle
                    return .end(ended)
                }
                let (name, value) = try Self.field(line)
                if trailers == nil { trailers = HTTPHeaders() }
                trailers?.add(name: name, value: value)
            case .untilClose:
                return buffer.readSlice(length: buffer.readableBytes).map { .body($0) }
            }
        }
        return nil
    }

    /// The upstream closed its side. Returns `true` when that ended a close-delimited body (the
    /// caller delivers `.end(nil)`); throws `invalidEOFState` when a response was cut short after
    /// some of it arrived; returns `false` when nothing was pending or nothing had arrived yet.
    mutating func endOfInput() throws(HTTPParserError) -> Bool {
        defer { state = .idle }
        if queuedEnd {
            queuedEnd = false
            return true
        }
        switch state {
        case .idle: return false
        case .untilClose: return true
        case .statusLine: if sawBytes { throw .invalidEOFState } else { return false }
        default: throw .invalidEOFState
        }
    }

    // MARK: - Lines

    /// The next line without its terminator (CRLF or LF), or `nil` when the buffer ends first
    /// (its bytes are kept for the next read). A line longer than `limit` is an error.
    private mutating func takeLine(_ buffer: inout ByteBuffer, limit: Int) throws(HTTPParserError) -> ByteBuffer? {
        let available = buffer.readableBytes
        let newline: Int? = buffer.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress, let hit = memchr(base, 0x0A, raw.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        let carried = partialLine?.readableBytes ?? 0
        guard let newline else {
            if carried + available > limit { throw .headerOverflow }
            if partialLine == nil {
                partialLine = buffer.readSlice(length: available)
            } else {
                partialLine?.writeBuffer(&buffer)
            }
            return nil
        }
        if carried + newline > limit { throw .headerOverflow }
        guard var line = buffer.readSlice(length: newline) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1)
        if var carriedLine = partialLine {
            partialLine = nil
            carriedLine.writeBuffer(&line)
            line = carriedLine
        }
        lineHadCR = line.readableBytes > 0 && line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "\r")
        if lineHadCR { line.moveWriterIndex(to: line.writerIndex - 1) }
        return line
    }

    // MARK: - Head

    private mutating func parseStatusLine(_ line: ByteBuffer) throws(HTTPParserError) {
        try line.withUnsafeReadableBytes { (raw: UnsafeRawBufferPointer) throws(HTTPParserError) in
            let b = raw.bindMemory(to: UInt8.self)
            // "HTTP/1.x NNN" then nothing, or a space and a reason phrase.
            guard b.count >= 12, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F,
                  b[5] == UInt8(ascii: "1"), b[6] == UInt8(ascii: "."), b[8] == 0x20,
                  b[7] == UInt8(ascii: "0") || b[7] == UInt8(ascii: "1")
            else { throw HTTPParserError.invalidVersion }
            var code = 0
            for i in 9..<12 {
                let digit = Int(b[i]) - 48
                guard digit >= 0 && digit <= 9 else { throw HTTPParserError.invalidStatus }
                code = code * 10 + digit
            }
            guard code >= 100, b.count == 12 || b[12] == 0x20 else { throw HTTPParserError.invalidStatus }
            for i in 12..<b.count where b[i] < 0x20 && b[i] != 0x09 || b[i] == 0x7F { throw HTTPParserError.invalidStatus }
            version = b[7] == UInt8(ascii: "1") ? .http1_1 : .http1_0
            if code == 200 {
                status = .ok
            } else {
                let reason = b.count > 13 ? String(decoding: UnsafeBufferPointer(rebasing: b[13...]), as: UTF8.self) : ""
                status = HTTPResponseStatus(statusCode: code, reasonPhrase: reason)
            }
        }
    }

    /// A header (or trailer) line's name and value (without surrounding whitespace).
    private static func field(_ line: ByteBuffer) throws(HTTPParserError) -> (String, String) {
        try line.withUnsafeReadableBytes { (raw: UnsafeRawBufferPointer) throws(HTTPParserError) in
            let b = raw.bindMemory(to: UInt8.self)
            // obs-fold (a line starting with whitespace) is rejected, as RFC 9112 allows.
            guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw HTTPParserError.invalidHeaderToken }
            for i in 0..<colon where !Self.isTokenByte(b[i]) { throw HTTPParserError.invalidHeaderToken }
            var start = colon + 1
            var end = b.count
            while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
            while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
            for i in start..<end where (b[i] < 0x20 && b[i] != 0x09) || b[i] == 0x7F { throw HTTPParserError.invalidHeaderToken }
            let nameBytes = UnsafeBufferPointer(rebasing: b[0..<colon])
            let valueBytes = UnsafeBufferPointer(rebasing: b[start..<end])
            return (String(decoding: nameBytes, as: UTF8.self), String(decoding: valueBytes, as: UTF8.self))
        }
    }

    /// Records the body framing a header field announces.
    private mutating func noteFraming(_ kind: ProxyHeaderField, _ value: String) throws(HTTPParserError) {
        switch kind {
        case .contentLength:
            // The usual single value, without splitting.
            if value.utf8.count <= 18, !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(value) {
                if let known = contentLength, known != length { throw .unexpectedContentLength }
                contentLength = length
                return
            }
            // "5", or a list of equal values ("5, 5") as RFC 9110 §8.6 allows.
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingSpaces
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), text.utf8.count <= 18,
                      let length = Int(text)
                else { throw .invalidContentLength }
                if let known = contentLength, known != length { throw .unexpectedContentLength }
                contentLength = length
            }
        case .transferEncoding:
            let last = value.split(separator: ",").last.map { $0.trimmingSpaces.lowercased() } ?? ""
            transferEncoding = last == "chunked" ? .chunked : .other
        default:
            break
        }
    }

    /// The head just completed; sets up the body (queuing the end when there is none).
    private mutating func finishHead(_ buffer: ByteBuffer) throws(HTTPParserError) -> HTTPClientResponsePart {
        let code = status.code
        let head = HTTPResponseHead(version: version, status: status, headers: headers)
        headers = HTTPHeaders()
        rawHead = nil
        if code / 100 != 1, plainHead, var start = headStart,
           let bytes = start.readSlice(length: buffer.readerIndex - start.readerIndex) {
            rawHead = RawHead(bytes: bytes, hasContentLength: contentLength != nil)
        }
        headStart = nil
        if code / 100 == 1 {
            // 101 would switch protocols, which the proxy never asks for (it drops Upgrade).
            guard code != 101 else { throw .invalidStatus }
            state = .statusLine
            return .head(head)
        }
        if transferEncoding != .none && contentLength != nil { throw .unexpectedContentLength }
        if noBody || code == 204 || code == 304 {
            state = .idle
            queuedEnd = true
        } else {
            switch transferEncoding {
            case .chunked:
                state = .chunkSize
            case .other:
                state = .untilClose
            case .none:
                if let length = contentLength {
                    if length == 0 {
                        state = .idle
                        queuedEnd = true
                    } else {
                        state = .fixedBody(remaining: length)
                    }
                } else {
                    state = .untilClose
                }
            }
        }
        return .head(head)
    }

    // MARK: - Bytes

    /// RFC 9110 tchar.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The size of a chunk-size line: hex digits, then optional whitespace and `;extensions`.
    private static func chunkSize(_ line: ByteBuffer) throws(HTTPParserError) -> Int {
        try line.withUnsafeReadableBytes { (raw: UnsafeRawBufferPointer) throws(HTTPParserError) in
            var size = 0
            var digits = 0
            var index = 0
            while index < raw.count {
                let byte = raw[index]
                let value: Int
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
                default: value = -1
                }
                if value < 0 { break }
                guard digits < 15 else { throw HTTPParserError.invalidChunkSize }
                size = size * 16 + value
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw HTTPParserError.invalidChunkSize }
            while index < raw.count, raw[index] == 0x20 || raw[index] == 0x09 { index += 1 }
            guard index == raw.count || raw[index] == UInt8(ascii: ";") else { throw HTTPParserError.invalidChunkSize }
            return size
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
