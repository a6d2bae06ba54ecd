import Foundation
import NIOHTTP1
import Testing

@testable import Routing

@Suite("Service naming, hop-by-hop rules, registry file, static router")
struct NamingAndRegistryTests {
    @Test("service name: X-Service wins, else first label of a non-IP Host without port")
    func serviceName() {
        #expect(ProxyServiceName.resolve(serviceHeader: "dps", host: "10.0.0.5:30090") == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: " dps ", host: nil) == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "dps.default.svc.cluster.local") == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "dps:8080") == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "DPS.example:80") == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "dps.example.") == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: "", host: "dps") == .service("dps"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "10.0.0.5:30090") == .ipHost("10.0.0.5:30090"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "10.0.0.5") == .ipHost("10.0.0.5"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "[::1]:9090") == .ipHost("[::1]:9090"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: "::1") == .ipHost("::1"))
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: nil) == .missing)
        #expect(ProxyServiceName.resolve(serviceHeader: nil, host: ".example") == .invalidHost(".example"))
        #expect(ProxyServiceName.authority(ofAbsoluteURI: "http://dps.ns:8080/a?b") == "dps.ns:8080")
        #expect(ProxyServiceName.originForm(of: "http://dps.ns:8080/a?b") == "/a?b")
        #expect(ProxyServiceName.originForm(of: "http://dps.ns?q") == "/?q")
        #expect(ProxyServiceName.originForm(of: "http://dps.ns") == "/")
        #expect(ProxyServiceName.originForm(of: "/plain") == "/plain")
    }

    @Test("hop-by-hop headers and those listed in Connection are removed")
    func hopByHop() {
        var headers = HTTPHeaders([
            ("Host", "a"), ("Connection", "keep-alive, X-Foo"), ("X-Foo", "1"), ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "x"), ("TE", "trailers"), ("Trailer", "X-T"), ("Transfer-Encoding", "chunked"),
            ("Upgrade", "h2c"), ("X-Bar", "kept"),
        ])
        HopByHopHeaders.strip(&headers)
        #expect(headers.map(\.name) == ["Host", "X-Bar"])
        var untouched = HTTPHeaders([("Host", "a"), ("Accept", "*/*")])
        HopByHopHeaders.strip(&untouched)
        #expect(untouched.count == 2)
    }

    @Test("registry file: parses services, addresses, optional τ; rejects bad input")
    func registryFile() throws {
        let json = #"""
            {"services": {"dps": {"instances": [{"name": "s1", "address": "127.0.0.1:8081"},
                                                {"name": "s2", "address": "[::1]:8082"}],
                                  "latencyThresholdMs": 80, "timeoutSeconds": 5},
                          "empty": {"instances": []}}}
            """#
        let registry = try RegistryFile.parse(Data(json.utf8))
        #expect(registry.services["dps"]?.instances == [
            Upstream(id: "s1", host: "127.0.0.1", port: 8081), Upstream(id: "s2", host: "::1", port: 8082),
        ])
        #expect(registry.services["dps"]?.latencyThresholdMs == 80)
        #expect(registry.services["dps"]?.timeoutSeconds == 5)
        #expect(registry.services["empty"]?.instances.isEmpty == true)
        #expect(throws: RegistryFile.LoadError.self) { try RegistryFile.parse(Data("{".utf8)) }
        #expect(throws: RegistryFile.LoadError.self) {
            try RegistryFile.parse(Data(#"{"services": {"a": {"instances": [{"name": "x", "address": "nohost"}]}}}"#.utf8))
        }
        #expect(throws: RegistryFile.LoadError.self) {
            try RegistryFile.parse(Data(#"{"services": {"a": {"instances": [{"name": "x", "address": "h:1"}, {"name": "x", "address": "h:2"}]}}}"#.utf8))
        }
        #expect(RegistryFile.parseAddress("host:99999") == nil)
        #expect(RegistryFile.parseAddress("::1:80") == nil)
    }

    @Test("static router: uniform, seeded, excluding, unknown, no instance, ejection")
    func staticRouter() {
        let a = Upstream(id: "a", host: "127.0.0.1", port: 1)
        let b = Upstream(id: "b", host: "127.0.0.1", port: 2)
        let router = StaticRouter(registry: UpstreamRegistry(instances: ["svc": [a, b], "none": []]), seed: 7)
        var counts: [UpstreamID: Int] = [:]
        for _ in 0..<2000 {
            guard case .upstream(let pick) = router.route(service: "svc", excluding: []) else {
                Issue.record("no pick")
                return
            }
            counts[pick.id, default: 0] += 1
        }
        #expect(abs(counts["a", default: 0] - 1000) < 120)
        #expect(router.route(service: "svc", excluding: ["a"]) == .upstream(b))
        #expect(router.route(service: "svc", excluding: ["a", "b"]) == .noInstance(retryAfterSeconds: 1))
        #expect(router.route(service: "none", excluding: []) == .noInstance(retryAfterSeconds: 1))
        #expect(router.route(service: "nope", excluding: []) == .unknownService)
        #expect(router.knownServices == ["none", "svc"])

        // Same seed, same sequence.
        let r1 = StaticRouter(registry: UpstreamRegistry(instances: ["svc": [a, b]]), seed: 3)
        let r2 = StaticRouter(registry: UpstreamRegistry(instances: ["svc": [a, b]]), seed: 3)
        for _ in 0..<50 { #expect(r1.route(service: "svc", excluding: []) == r2.route(service: "svc", excluding: [])) }

        let ejecting = StaticRouter(registry: UpstreamRegistry(instances: ["svc": [a, b]]), ejectionSeconds: 60)
        ejecting.record(UpstreamOutcome(service: "svc", upstream: "a", responseTimeMs: 1, status: nil, error: .connectRefused))
        for _ in 0..<50 { #expect(ejecting.route(service: "svc", excluding: []) == .upstream(b)) }
        // Everything ejected: ejection is ignored rather than failing the request.
        #expect(ejecting.route(service: "svc", excluding: ["b"]) == .upstream(a))
        // Client aborts do not eject.
        ejecting.record(UpstreamOutcome(service: "svc", upstream: "b", responseTimeMs: 1, status: nil, error: .clientAborted))
        #expect(ejecting.route(service: "svc", excluding: ["a"]) == .upstream(b))
    }
}
