import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import Routing

@Suite("HTTP pass-through")
struct PassThroughTests {
    @Test("status, end-to-end headers and bodies pass through (418, 204, 304, HEAD)")
    func statusHeadersBodies() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }
        let client = try await proxy.client()
        let service = [("X-Service", "alpha")]

        let teapot = try await client.request(.GET, "/status/418", headers: service)
        #expect(teapot.status == 418 && teapot.header("X-Status-Test") == "yes" && teapot.text == "status 418")
        let noContent = try await client.request(.DELETE, "/status/204", headers: service)
        #expect(noContent.status == 204 && noContent.body.readableBytes == 0)
        let notModified = try await client.request(.GET, "/status/304", headers: service + [("If-None-Match", "\"v1\"")])
        #expect(notModified.status == 304 && notModified.header("ETag") == "\"v1\"" && notModified.body.readableBytes == 0)
        let head = try await client.request(.HEAD, "/", headers: service)
        #expect(head.status == 200 && head.header("Content-Length") == "2" && head.body.readableBytes == 0)
        // The connection is still correctly framed after all of these.
        let after = try await client.request(.PUT, "/echo?q=1", headers: service, body: ByteBuffer(string: "put-body"))
        #expect(after.text == "put-body" && after.header("X-Method") == "PUT" && after.header("X-URI") == "/echo?q=1")
        await client.close()
        #expect(a.stats.accepted == 1)
    }

    @Test("chunked and close-delimited upstream responses are re-framed as chunked, trailers kept")
    func chunkedResponses() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }
        let client = try await proxy.client()

        let chunked = try await client.request(.GET, "/chunked", headers: [("X-Service", "alpha")])
        #expect(chunked.text == "part1-part2-part3")
        #expect(chunked.header("Transfer-Encoding") == "chunked")
        #expect(chunked.trailers?.first(name: "X-Trailer") == "done")
        let delimited = try await client.request(.GET, "/close-delimited", headers: [("X-Service", "alpha")])
        #expect(delimited.text == "until-close-body")
        #expect(delimited.header("Connection") == nil)
        // The client connection stays usable.
        #expect(try await client.request(.GET, "/", headers: [("X-Service", "alpha")]).text == "a1")
        await client.close()
    }

    @Test("1 MB bodies both ways, streamed")
    func largeBodies() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }
        let client = try await proxy.client()

        var upload = patternBuffer(count: 1 << 20)
        upload.moveReaderIndex(forwardBy: 7)  // not aligned with the pattern period
        upload.writeBytes([1, 2, 3, 4, 5, 6, 7])
        let echoed = try await client.request(.POST, "/echo", headers: [("X-Service", "alpha")], body: upload)
        #expect(echoed.status == 200 && echoed.header("X-Body-Bytes") == "1048576")
        #expect(echoed.body == upload)

        let download = try await client.request(.GET, "/big?n=1048576", headers: [("X-Service", "alpha")])
        #expect(download.body.readableBytes == 1 << 20)
        #expect(download.body == patternBuffer(count: 1 << 20))

        // A chunked upload is re-chunked towards the upstream.
        let chunkedUpload = try await client.request(
            .POST, "/echo", headers: [("X-Service", "alpha"), ("Transfer-Encoding", "chunked")],
            body: ByteBuffer(repeating: 0x42, count: 300_000))
        #expect(chunkedUpload.header("X-Body-Bytes") == "300000")
        await client.close()
    }

    @Test("hop-by-hop headers are stripped both ways; X-Forwarded-* are set")
    func hopByHopAndForwarded() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }
        let client = try await proxy.client()

        let seen = try await client.request(.GET, "/headers", headers: [
            ("Host", "alpha.example:9090"), ("Connection", "keep-alive, X-Req-Hop"), ("X-Req-Hop", "secret"),
            ("Keep-Alive", "timeout=5"), ("Proxy-Connection", "keep-alive"), ("TE", "trailers"), ("Upgrade", "foo/1"),
            ("X-Forwarded-For", "1.2.3.4"), ("X-End-To-End", "kept"),
        ])
        let lines = Set(seen.text.split(separator: "\n").map(String.init))
        for hop in ["connection", "x-req-hop", "keep-alive", "proxy-connection", "te", "upgrade"] {
            #expect(!lines.contains { $0.hasPrefix(hop + ":") }, "\(hop) was forwarded")
        }
        #expect(lines.contains("x-end-to-end: kept"))
        #expect(lines.contains("host: alpha.example:9090"))
        #expect(lines.contains("x-forwarded-for: 1.2.3.4, 127.0.0.1"))
        #expect(lines.contains("x-forwarded-host: alpha.example:9090"))
        #expect(lines.contains("x-forwarded-proto: http"))

        let hop = try await client.request(.GET, "/hop", headers: [("X-Service", "alpha")])
        #expect(hop.text == "hop")
        for name in ["Connection", "X-Custom-Hop", "Keep-Alive", "Proxy-Connection", "Trailer"] {
            #expect(hop.header(name) == nil, "\(name) was passed back")
        }
        #expect(hop.header("X-End-To-End") == "kept")
        await client.close()
    }

    @Test("pipelined requests are answered in order; HTTP/1.0; Expect: 100-continue")
    func pipeliningAndVersions() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let pipelined = try await proxy.raw(
            "GET /status/201 HTTP/1.1\r\nX-Service: alpha\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nX-Service: alpha\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /status/202 HTTP/1.1\r\nX-Service: alpha\r\nConnection: close\r\n\r\n")
        let first = pipelined.range(of: "HTTP/1.1 201")
        let second = pipelined.range(of: "HTTP/1.1 200")
        let third = pipelined.range(of: "HTTP/1.1 202")
        #expect(first != nil && second != nil && third != nil)
        if let first, let second, let third {
            #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
        }
        #expect(pipelined.contains("hello"))

        let old = try await proxy.raw("GET / HTTP/1.0\r\nX-Service: alpha\r\n\r\n")
        #expect(old.hasPrefix("HTTP/1.0 200"))
        #expect(old.hasSuffix("a1"))

        let connection = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        try await connection.send("POST /echo HTTP/1.1\r\nX-Service: alpha\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(await eventually(timeout: 3) { connection.text.contains("HTTP/1.1 100 Continue") })
        try await connection.send("ping")
        #expect(await eventually(timeout: 3) { connection.text.hasSuffix("ping") })
        #expect(connection.text.contains("HTTP/1.1 200 OK"))
        await connection.close()
    }

    @Test("HTTP/1.0 client with a chunked upstream gets a close-delimited body; Expect without routing closes")
    func http10AndExpectRejected() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let old = try await proxy.raw("GET /chunked HTTP/1.0\r\nX-Service: alpha\r\n\r\n")
        #expect(old.hasPrefix("HTTP/1.0 200"))
        #expect(!old.lowercased().contains("transfer-encoding"))
        #expect(old.lowercased().contains("connection: close"))
        #expect(old.hasSuffix("\r\n\r\npart1-part2-part3"))

        // HTTP/1.0 keep-alive is honoured.
        let connection = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        try await connection.send("GET / HTTP/1.0\r\nX-Service: alpha\r\nConnection: keep-alive\r\n\r\n")
        #expect(await eventually(timeout: 3) { connection.text.hasSuffix("a1") })
        #expect(connection.text.lowercased().contains("connection: keep-alive"))
        try await connection.send("GET / HTTP/1.0\r\nX-Service: alpha\r\n\r\n")
        #expect(await connection.waitForClose(timeout: .seconds(3)))
        #expect(connection.text.components(separatedBy: "HTTP/1.0 200").count == 3)

        let expecting = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        try await expecting.send("POST / HTTP/1.1\r\nX-Service: ghost\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
        #expect(await expecting.waitForClose(timeout: .seconds(5)))
        #expect(expecting.text.hasPrefix("HTTP/1.1 404"))
        #expect(!expecting.text.contains("100 Continue"))
    }
}
