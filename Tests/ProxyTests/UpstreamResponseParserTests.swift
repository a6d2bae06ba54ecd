import NIOCore
import NIOHTTP1
import Testing

@testable import Routing

/// The upstream response parser on its own: framing, strictness and input split at every byte.
@Suite("Upstream response parser")
struct UpstreamResponseParserTests {
    /// What a response parsed into: the final head, the body bytes, trailers, informational heads.
    struct Parsed: Equatable {
        var status = 0
        var headers: [String] = []
        var body = ""
        var ended = false
        var trailers: [String] = []
        var informational: [Int] = []
    }

    /// Feeds `wire` in pieces of `split` bytes (whole when nil), then end of input if `eof`.
    static func parse(_ wire: String, toHead: Bool = false, split: Int? = nil, eof: Bool = false) throws -> Parsed {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHead: toHead)
        var result = Parsed()
        func take(_ part: HTTPClientResponsePart) {
            switch part {
            case .head(let head) where head.status.code / 100 == 1:
                result.informational.append(Int(head.status.code))
            case .head(let head):
                result.status = Int(head.status.code)
                result.headers = head.headers.map { "\($0.name)=\($0.value)" }
            case .body(let bytes):
                #expect(!result.ended)
                result.body += String(buffer: bytes)
            case .end(let trailers):
                result.ended = true
                result.trailers = trailers?.map { "\($0.name)=\($0.value)" } ?? []
            }
        }
        let bytes = Array(wire.utf8)
        let step = split ?? max(1, bytes.count)
        var offset = 0
        while offset < bytes.count {
            var buffer = ByteBuffer(bytes: bytes[offset..<min(bytes.count, offset + step)])
            offset += step
            while let part = try parser.next(&buffer) { take(part) }
            #expect(buffer.readableBytes == 0)
        }
        if eof, try parser.endOfInput() { take(.end(nil)) }
        return result
    }

    static let cases: [(String, String)] = [
        ("content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello"),
        ("chunked with extension and trailers",
         "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\nA\r\nlo, world!\r\n0\r\nX-Sum: 7\r\n\r\n"),
        ("bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
        ("100 Continue before the response", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"),
    ]

    @Test("every split of the input parses the same", arguments: cases)
    func splits(_ name: String, _ wire: String) throws {
        let whole = try Self.parse(wire)
        #expect(whole.ended)
        for split in 1...8 {
            #expect(try Self.parse(wire, split: split) == whole, "split \(split)")
        }
    }

    @Test("framing: length, chunks, trailers, 1xx, reason phrases")
    func framing() throws {
        let fixed = try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A:  b \r\n\r\nhello")
        #expect(fixed == Parsed(status: 200, headers: ["Content-Length=5", "X-A=b"], body: "hello", ended: true))
        let chunked = try Self.parse(
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;ext=1\r\nhel\r\nA\r\nlo, world!\r\n0\r\nX-Sum: 7\r\n\r\n")
        #expect(chunked.status == 201)
        #expect(chunked.body == "hello, world!")
        #expect(chunked.trailers == ["X-Sum=7"])
        let informational = try Self.parse("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        #expect(informational.informational == [103])
        #expect(informational.status == 404 && informational.ended && informational.body.isEmpty)
        #expect(try Self.parse("HTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n").status == 599)
        #expect(try Self.parse("HTTP/1.1 204\r\nContent-Length: 0\r\n\r\n").status == 204)
        #expect(try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc").body == "abc")
    }

    @Test("no body for HEAD, 204 and 304 whatever the headers say")
    func noBody() throws {
        let head = try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", toHead: true)
        #expect(head.ended && head.body.isEmpty && head.status == 200)
        #expect(try Self.parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").ended)
        #expect(try Self.parse("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n").ended)
    }

    @Test("close-delimited bodies end at end of input; a cut response is invalidEOFState")
    func endOfInput() throws {
        let open = try Self.parse("HTTP/1.0 200 OK\r\n\r\nstream until close", eof: false)
        #expect(!open.ended && open.body == "stream until close")
        let closed = try Self.parse("HTTP/1.0 200 OK\r\n\r\nstream until close", split: 4, eof: true)
        #expect(closed.ended && closed.body == "stream until close")
        let otherCoding = try Self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", eof: true)
        #expect(otherCoding.ended && otherCoding.body == "zz")
        for cut in ["HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"] {
            #expect(throws: HTTPParserError.invalidEOFState, "\(cut)") { try Self.parse(cut, eof: true) }
        }
        // Nothing at all before the close: not a parse error (the caller reports a reset).
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHead: false)
        #expect(try parser.endOfInput() == false)
    }

    @Test("malformed responses are parser errors", arguments: [
        ("HTTP/2 200 OK\r\n\r\n", HTTPParserError.invalidVersion),
        ("HTTP/1.1 20 OK\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 2x0 OK\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 200OK\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 101 Switching Protocols\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nName : x\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nno-colon\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nA: b\u{1}c\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n", .unexpectedContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", .unexpectedContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .unexpectedContentLength),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", .lfExpected),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab", .trailingGarbage),
    ])
    func malformed(_ wire: String, _ error: HTTPParserError) {
        #expect(throws: error) { try Self.parse(wire) }
        #expect(throws: error, "byte by byte") { try Self.parse(wire, split: 1) }
    }

    @Test("a head larger than 80 KiB is headerOverflow, also when it arrives in pieces")
    func headLimit() {
        let big = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n", count: 90) + "\r\n"
        #expect(throws: HTTPParserError.headerOverflow) { try Self.parse(big) }
        #expect(throws: HTTPParserError.headerOverflow) { try Self.parse(big, split: 700) }
        let line = "HTTP/1.1 200 OK\r\nX-Long: " + String(repeating: "b", count: 90_000)
        #expect(throws: HTTPParserError.headerOverflow) { try Self.parse(line, split: 4096) }
    }

    /// The raw head the parser offers after the final head of `wire` fed in pieces of `split`.
    static func rawHead(_ wire: String, split: Int? = nil) throws -> (String, Bool)? {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHead: false)
        let bytes = Array(wire.utf8)
        let step = split ?? bytes.count
        var offset = 0
        var raw: UpstreamResponseParser.RawHead?
        while offset < bytes.count {
            var buffer = ByteBuffer(bytes: bytes[offset..<min(bytes.count, offset + step)])
            offset += step
            while let part = try parser.next(&buffer) {
                if case .head(let head) = part, head.status.code / 100 != 1 { raw = parser.takeRawHead() }
            }
        }
        return raw.map { (String(buffer: $0.bytes), $0.hasContentLength) }
    }

    @Test("a plain HTTP/1.1 head in one read is offered as its bytes, anything else is not")
    func rawHeads() throws {
        let plain = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\n"
        let raw = try #require(try Self.rawHead(plain + "ok"))
        #expect(raw.0 == plain && raw.1)
        let early = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        #expect(try Self.rawHead(early + plain + "ok")?.0 == plain, "only the final head")
        #expect(try Self.rawHead("HTTP/1.1 204 No Content\r\n\r\n")?.1 == false)
        for wire in [
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        ] {
            #expect(try Self.rawHead(wire) == nil, "\(wire)")
        }
        #expect(try Self.rawHead(plain + "ok", split: 10) == nil, "a head split across reads is re-serialised")
    }

    @Test("bytes while no response is expected are trailingGarbage")
    func unexpectedBytes() {
        var parser = UpstreamResponseParser()
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n")
        #expect(throws: HTTPParserError.trailingGarbage) { _ = try parser.next(&buffer) }
    }
}
