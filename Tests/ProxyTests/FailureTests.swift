import NIOCore
import NIOHTTP1
import Testing

@testable import Routing

@Suite("Upstream failures, retries, timeouts and bad input")
struct FailureTests {
    @Test("connection refused → retried once on another instance (any method)")
    func retryOnRefused() async throws {
        let live = try await TestUpstream.start(name: "live")
        let dead = Upstream(id: "dead", host: "127.0.0.1", port: try await deadPort())
        let router = RecordingRouter(StaticRouter(registry: UpstreamRegistry(instances: ["svc": [dead, live.upstream]])),
                                     ordered: true)
        let proxy = try await ProxyHarness.start(router: router)
        defer { Task { await proxy.stop(); await live.stop() } }

        let client = try await proxy.client()
        for _ in 0..<5 {
            let response = try await client.request(.GET, "/", headers: [("X-Service", "svc")])
            #expect(response.status == 200 && response.text == "live")
        }
        let post = try await client.request(.POST, "/echo", headers: [("X-Service", "svc")], body: ByteBuffer(string: "x"))
        #expect(post.status == 200 && post.text == "x")
        await client.close()
        let outcomes = router.outcomes
        #expect(outcomes.count == 12)
        let deadID = UpstreamID("dead")
        let onDead = outcomes.filter { (outcome: UpstreamOutcome) -> Bool in outcome.upstream == deadID }
        let onLive = outcomes.filter { (outcome: UpstreamOutcome) -> Bool in outcome.upstream != deadID }
        #expect(onDead.count == 6 && onLive.count == 6)
        #expect(onDead.allSatisfy { (outcome: UpstreamOutcome) -> Bool in
            outcome.error == .connectRefused && outcome.attempt == 1 })
        #expect(onLive.allSatisfy { (outcome: UpstreamOutcome) -> Bool in outcome.error == nil && outcome.attempt == 2 })
        let metrics = try await proxy.metrics()
        #expect(metrics.attempts["svc"]?["dead"]?["connect_refused"] == 6)
    }

    @Test("all instances refuse → 502 after one retry")
    func allDead() async throws {
        let one = Upstream(id: "d1", host: "127.0.0.1", port: try await deadPort())
        let two = Upstream(id: "d2", host: "127.0.0.1", port: try await deadPort())
        let router = RecordingRouter(StaticRouter(registry: UpstreamRegistry(instances: ["svc": [one, two]])))
        let proxy = try await ProxyHarness.start(router: router)
        defer { Task { await proxy.stop() } }
        let response = try await proxy.get("/", service: "svc")
        #expect(response.status == 502)
        #expect(router.outcomes.count == 2)
        #expect(Set(router.outcomes.map(\.upstream)) == ["d1", "d2"])
    }

    @Test("reset after the request was sent: GET is retried elsewhere, POST gets 502")
    func resetAfterSend() async throws {
        let first = try await TestUpstream.start(name: "s1")
        let second = try await TestUpstream.start(name: "s2")
        let (proxy, router) = try await ProxyHarness.start(services: ["svc": [first, second]], ordered: true)
        defer { Task { await proxy.stop(); await first.stop(); await second.stop() } }

        let get = try await proxy.get("/reset-on/s1", service: "svc")
        #expect(get.status == 200 && get.text == "s2")
        #expect(router.outcomes.map(\.error) == [.reset, nil])

        let client = try await proxy.client()
        let post = try await client.request(.POST, "/reset-on/s1", headers: [("X-Service", "svc")],
                                            body: ByteBuffer(string: "data"))
        #expect(post.status == 502)
        #expect(router.outcomes.count == 3 && router.outcomes[2].error == .reset)
        // The client connection survives a 502.
        #expect(try await client.request(.GET, "/", headers: [("X-Service", "svc")]).status == 200)
        await client.close()
    }

    @Test("non-idempotent POST: upstream resets mid-response head → 502, no retry")
    func partialResponseReset() async throws {
        let first = try await TestUpstream.start(name: "s1")
        let second = try await TestUpstream.start(name: "s2")
        let (proxy, router) = try await ProxyHarness.start(services: ["svc": [first, second]], ordered: true)
        defer { Task { await proxy.stop(); await first.stop(); await second.stop() } }

        let client = try await proxy.client()
        let post = try await client.request(.POST, "/partial-reset", headers: [("X-Service", "svc")],
                                            body: ByteBuffer(string: "data"))
        #expect(post.status == 502)
        #expect(router.outcomes.count == 1)
        #expect(router.outcomes.first?.error == .reset || router.outcomes.first?.error == .invalidResponse)
        #expect(second.stats.requests == 0)
        // Received response bytes also forbid the idempotent retry.
        let get = try await client.request(.GET, "/partial-reset", headers: [("X-Service", "svc")])
        #expect(get.status == 502)
        #expect(second.stats.requests == 0)
        await client.close()
    }

    @Test("upstream vanishes after the response head → client connection is closed, outcome reset_mid_response")
    func midResponseReset() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, router) = try await ProxyHarness.start(services: ["svc": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let client = try await proxy.client()
        do {
            _ = try await client.request(.GET, "/mid-reset", headers: [("X-Service", "svc")])
            Issue.record("a truncated response must not complete")
        } catch TestClientError.closed(let partial) {
            #expect(partial?.status == 200)
        }
        #expect(await eventually { router.outcomes.first?.error == .resetMidResponse })
        #expect(try await proxy.get("/", service: "svc").status == 200)
        #expect(await eventually { (try? await proxy.metrics().inFlight) == 0 })
    }

    @Test("slow upstream with a short total timeout → 504")
    func gatewayTimeout() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, router) = try await ProxyHarness.start(services: ["svc": [a]]) { $0.totalTimeout = .milliseconds(300) }
        defer { Task { await proxy.stop(); await a.stop() } }

        // The upstream would answer after 10 s: the 504 must come long before that, with room
        // for a busy machine running the whole suite (2.5 s was once exceeded there).
        let started = NIODeadline.now()
        let response = try await proxy.get("/slow?ms=10000", service: "svc")
        let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        #expect(response.status == 504)
        #expect(elapsed >= 0.29 && elapsed < 8)
        #expect(router.outcomes.first?.error == .timeout)
        // A fast request on the same proxy still works.
        #expect(try await proxy.get("/", service: "svc").status == 200)
    }

    @Test("per-service timeout from the registry overrides the default")
    func perServiceTimeout() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let registry = UpstreamRegistry(services: ["svc": .init(instances: [a.upstream], timeoutSeconds: 0.2)])
        let proxy = try await ProxyHarness.start(router: StaticRouter(registry: registry))
        defer { Task { await proxy.stop(); await a.stop() } }
        #expect(try await proxy.get("/slow?ms=2000", service: "svc").status == 504)
    }

    @Test("malformed request → 400, oversized head → 431, oversized body → 413; connection closed")
    func badInput() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["svc": [a]]) { $0.maxBodyBytes = 64 * 1024 }
        defer { Task { await proxy.stop(); await a.stop() } }

        let garbage = try await proxy.raw("GARBAGE\r\n\r\n")
        #expect(garbage.hasPrefix("HTTP/1.1 400"))
        let badHeader = try await proxy.raw("GET / HTTP/1.1\r\nX-Service: svc\r\nBad Header\r\n\r\n")
        #expect(badHeader.hasPrefix("HTTP/1.1 400"))

        let bigHeader = String(repeating: "x", count: 40 * 1024)
        let tooLargeHead = try await proxy.raw("GET / HTTP/1.1\r\nX-Service: svc\r\nX-Big: \(bigHeader)\r\n\r\n")
        #expect(tooLargeHead.hasPrefix("HTTP/1.1 431"))

        let declared = try await proxy.raw("POST /echo HTTP/1.1\r\nX-Service: svc\r\nContent-Length: 100000000\r\n\r\npartial")
        #expect(declared.hasPrefix("HTTP/1.1 413"))

        // A chunked body that grows past the limit while being streamed.
        let connection = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        try await connection.send("POST /echo HTTP/1.1\r\nX-Service: svc\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = "4000\r\n" + String(repeating: "y", count: 0x4000) + "\r\n"
        for _ in 0..<6 { try? await connection.send(chunk) }
        #expect(await connection.waitForClose(timeout: .seconds(5)))
        #expect(connection.text.hasPrefix("HTTP/1.1 413"))
        #expect(await eventually { (try? await proxy.metrics().inFlight) == 0 })
        #expect(try await proxy.get("/", service: "svc").status == 200)
    }

    @Test("client disconnects mid-request and mid-response leave nothing behind")
    func clientDisconnects() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, router) = try await ProxyHarness.start(services: ["svc": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let midRequest = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        try await midRequest.send("POST /echo HTTP/1.1\r\nX-Service: svc\r\nContent-Length: 1000\r\n\r\nonly-a-little")
        try await Task.sleep(for: .milliseconds(100))
        await midRequest.close()

        let midResponse = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        try await midResponse.send("GET /slow?ms=300 HTTP/1.1\r\nX-Service: svc\r\n\r\n")
        try await Task.sleep(for: .milliseconds(100))
        await midResponse.close()

        #expect(await eventually {
            guard let metrics = try? await proxy.metrics() else { return false }
            return metrics.inFlight == 0 && metrics.clientConnections == 0 && metrics.upstreamConnectionsOpen == 0
        })
        #expect(await eventually { a.stats.open == 0 })
        #expect(router.outcomes.count == 2 && router.outcomes.allSatisfy { $0.error == .clientAborted })
    }
}
