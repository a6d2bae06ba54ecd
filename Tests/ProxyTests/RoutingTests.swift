import NIOCore
import NIOHTTP1
import Testing

@testable import Routing

@Suite("Routing, local answers and metrics")
struct RoutingTests {
    @Test("routes by X-Service and by Host (name, name:port, FQDN); X-Service wins")
    func routesByHeaderAndHost() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let b = try await TestUpstream.start(name: "b1")
        let (proxy, _) = try await ProxyHarness.start(services: ["alpha": [a], "beta": [b]])
        defer { Task { await proxy.stop(); await a.stop(); await b.stop() } }

        #expect(try await proxy.get("/", service: "alpha").text == "a1")
        #expect(try await proxy.get("/", service: "beta").text == "b1")
        #expect(try await proxy.get("/", headers: [("Host", "alpha")]).text == "a1")
        #expect(try await proxy.get("/", headers: [("Host", "beta:8080")]).text == "b1")
        #expect(try await proxy.get("/", headers: [("Host", "Beta.default.svc.cluster.local:80")]).text == "b1")
        #expect(try await proxy.get("/", service: "alpha", headers: [("Host", "beta")]).text == "a1")
        // Absolute-form target: the authority names the service, the upstream sees origin-form.
        let response = try await proxy.get("http://alpha.example:9090/echo?x=1", headers: [("Host", "beta")])
        #expect(response.header("X-Upstream") == "a1")
        #expect(response.header("X-URI") == "/echo?x=1")
    }

    @Test("IP Host without X-Service → 400 with a clear body; missing Host → 400")
    func ipHostIsRejected() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, router) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let v4 = try await proxy.get("/", headers: [("Host", "10.0.0.5:30090")])
        #expect(v4.status == 400)
        #expect(v4.text.contains("IP address") && v4.text.contains("X-Service"))
        let v6 = try await proxy.get("/", headers: [("Host", "[::1]:9090")])
        #expect(v6.status == 400)
        let none = try await proxy.raw("GET / HTTP/1.0\r\n\r\n")
        #expect(none.hasPrefix("HTTP/1.0 400"))
        #expect(router.routeCalls == 0)
        #expect(a.stats.requests == 0)
    }

    @Test("unknown service → 404; no instance → 503 with Retry-After")
    func unknownAndNoInstance() async throws {
        let (proxy, _) = try await ProxyHarness.start(services: ["empty": []])
        defer { Task { await proxy.stop() } }

        let unknown = try await proxy.get("/", service: "ghost")
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("ghost"))
        let empty = try await proxy.get("/", service: "empty")
        #expect(empty.status == 503)
        #expect(empty.header("Retry-After") == "1")
        #expect(empty.text.contains("no instance"))
        // Keep-alive survives local answers.
        let client = try await proxy.client()
        for _ in 0..<3 {
            #expect(try await client.request(.GET, "/", headers: [("X-Service", "ghost")]).status == 404)
        }
        await client.close()
    }

    @Test("/healthz and /metrics (requests by service/upstream/outcome, τ bucket, gauges)")
    func healthAndMetrics() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let registry = UpstreamRegistry(services: ["alpha": .init(instances: [a.upstream], latencyThresholdMs: 37)])
        let router = StaticRouter(registry: registry)
        let proxy = try await ProxyHarness.start(router: router)
        defer { Task { await proxy.stop(); await a.stop() } }

        let health = try await proxy.get("/healthz")
        #expect(health.status == 200 && health.text == "ok\n")
        for _ in 0..<5 { _ = try await proxy.get("/", service: "alpha") }
        _ = try await proxy.get("/status/503", service: "alpha")
        _ = try await proxy.get("/", service: "ghost")
        let text = try await proxy.get("/metrics").text
        #expect(text.contains(#"aiotwin_proxy_requests_total{service="alpha",upstream="a1",outcome="2xx"} 5"#))
        #expect(text.contains(#"aiotwin_proxy_requests_total{service="alpha",upstream="a1",outcome="5xx"} 1"#))
        #expect(text.contains(#"aiotwin_proxy_upstream_response_seconds_bucket{service="alpha",le="0.037"}"#))
        #expect(text.contains(#"aiotwin_proxy_upstream_response_seconds_bucket{service="alpha",le="0.08"}"#))
        #expect(text.contains(#"aiotwin_proxy_upstream_response_seconds_count{service="alpha"} 6"#))
        #expect(text.contains(#"aiotwin_proxy_rejected_total{reason="unknown_service"} 1"#))
        #expect(text.contains("aiotwin_proxy_requests_in_flight 0"))
        #expect(text.contains(#"aiotwin_proxy_upstream_connections{upstream="a1",state="idle"} 1"#))
        #expect(text.contains(#"aiotwin_routing_pool_size{service="alpha"} 1"#))
        #expect(text.contains(#"aiotwin_proxy_slo_threshold_seconds{service="alpha"} 0.037"#))
        // With X-Service the paths belong to the service.
        #expect(try await proxy.get("/metrics", service: "alpha").text == "a1")
    }

    @Test("every attempt reports an outcome to the router")
    func outcomesAreRecorded() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, router) = try await ProxyHarness.start(services: ["alpha": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let body = ByteBuffer(repeating: 0x41, count: 1234)
        let client = try await proxy.client()
        let response = try await client.request(.POST, "/echo", headers: [("X-Service", "alpha")], body: body)
        #expect(response.status == 200)
        _ = try await client.request(.GET, "/status/404", headers: [("X-Service", "alpha")])
        await client.close()
        let outcomes = router.outcomes
        #expect(outcomes.count == 2)
        #expect(outcomes[0].service == "alpha" && outcomes[0].upstream == "a1")
        #expect(outcomes[0].status == 200 && outcomes[0].error == nil)
        #expect(outcomes[0].requestBytes == 1234 && outcomes[0].responseBytes == 1234)
        #expect(outcomes[0].responseTimeMs > 0 && outcomes[0].responseTimeMs < 1000)
        #expect(outcomes[0].attempt == 1 && !outcomes[0].reusedConnection)
        #expect(outcomes[1].status == 404 && outcomes[1].reusedConnection)
    }
}
