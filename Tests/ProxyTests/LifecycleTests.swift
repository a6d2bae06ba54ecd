import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import Routing

@Suite("Connection pooling, timeouts, registry reload, failover and leaks")
struct LifecycleTests {
    @Test("upstream keep-alive connections are reused across requests and client connections")
    func keepAliveReuse() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["svc": [a]])
        defer { Task { await proxy.stop(); await a.stop() } }

        let client = try await proxy.client()
        for _ in 0..<20 {
            #expect(try await client.request(.GET, "/", headers: [("X-Service", "svc")]).status == 200)
        }
        await client.close()
        for _ in 0..<5 { #expect(try await proxy.get("/", service: "svc").status == 200) }
        #expect(a.stats.requests == 25)
        #expect(a.stats.accepted == 1)
        let metrics = try await proxy.metrics()
        #expect(metrics.upstreamConnectsTotal == 1)
    }

    @Test("idle pool is capped; idle upstream and client connections time out")
    func poolCapAndIdleTimeouts() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["svc": [a]]) {
            $0.maxIdleConnectionsPerUpstream = 2
            // Long enough that "two left open" outlasts a busy machine's scheduling delays (2.5 s
            // was once too short with the whole suite running on two busy cores).
            $0.upstreamIdleTimeout = .seconds(6)
            $0.clientIdleTimeout = .milliseconds(400)
        }
        defer { Task { await proxy.stop(); await a.stop() } }

        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await proxy.get("/slow?ms=200", service: "svc").status } }
            for try await status in group { #expect(status == 200) }
        }
        #expect(a.stats.accepted == 6)
        #expect(await eventually { a.stats.open == 2 })
        // Idle upstream connections are closed after the idle timeout.
        #expect(await eventually(timeout: 15) { a.stats.open == 0 })
        // An idle client connection is closed too.
        let idle = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
        #expect(await idle.waitForClose(timeout: .seconds(5)))
    }

    @Test("registry file changes are picked up; an invalid file keeps the old registry")
    func registryReload() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let b = try await TestUpstream.start(name: "b1")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString).json").path
        func write(_ services: [String: TestUpstream]) throws {
            let body = services.map { name, upstream in
                #""\#(name)": {"instances": [{"name": "\#(upstream.name)", "address": "127.0.0.1:\#(upstream.port)"}]}"#
            }.joined(separator: ",")
            try Data(#"{"services": {\#(body)}}"#.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        try write(["alpha": a])
        let router = StaticRouter(registry: try RegistryFile.load(path: path))
        let loopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let watcher = RegistryFileWatcher(path: path, router: router, eventLoop: loopGroup.next(),
                                          interval: .milliseconds(50))
        let proxy = try await ProxyHarness.start(router: router)
        defer {
            Task {
                watcher.stop()
                await proxy.stop(); await a.stop(); await b.stop()
                try? await loopGroup.shutdownGracefully()
                try? FileManager.default.removeItem(atPath: path)
            }
        }

        #expect(try await proxy.get("/", service: "alpha").text == "a1")
        #expect(try await proxy.get("/", service: "beta").status == 404)
        try write(["beta": b])
        #expect(try await eventually { try await proxy.get("/", service: "beta").status == 200 })
        #expect(try await proxy.get("/", service: "alpha").status == 404)
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await proxy.get("/", service: "beta").text == "b1")
    }

    @Test("an instance killed mid-load: no crash, requests fail over, connections drain")
    func instanceKilledMidLoad() async throws {
        let first = try await TestUpstream.start(name: "s1")
        let second = try await TestUpstream.start(name: "s2")
        let (proxy, router) = try await ProxyHarness.start(services: ["svc": [first, second]], threads: 2)
        defer { Task { await proxy.stop(); await second.stop() } }

        // Paced by requests, not the clock (the suite runs in parallel on a busy machine): s1 is
        // killed after 100 answers and the load goes on to 400.
        let answered = NIOLockedValueBox(0)
        let giveUpAt = NIODeadline.now() + .seconds(60)
        async let killer: Void = {
            while answered.withLockedValue({ $0 }) < 100, NIODeadline.now() < giveUpAt {
                try? await Task.sleep(for: .milliseconds(5))
            }
            await first.kill()
        }()
        let results = try await withThrowingTaskGroup(of: (ok: Int, failed: Int).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ok = 0
                    var failed = 0
                    var client = try await proxy.client()
                    while answered.withLockedValue({ $0 }) < 400, NIODeadline.now() < giveUpAt {
                        do {
                            let response = try await client.request(.GET, "/", headers: [("X-Service", "svc")])
                            answered.withLockedValue { $0 += 1 }
                            if response.status == 200 { ok += 1 } else { failed += 1 }
                        } catch {
                            failed += 1
                            client = try await proxy.client()
                        }
                    }
                    await client.close()
                    return (ok, failed)
                }
            }
            var total = (ok: 0, failed: 0)
            for try await result in group {
                total.ok += result.ok
                total.failed += result.failed
            }
            return total
        }
        await killer
        #expect(results.ok > 100)
        #expect(results.failed == 0, "idempotent requests must fail over (got \(results.failed) failures)")
        #expect(router.outcomes.contains { $0.upstream == "s1" && $0.error != nil })
        for _ in 0..<10 { #expect(try await proxy.get("/", service: "svc").text == "s2") }
        #expect(await eventually {
            guard let metrics = try? await proxy.metrics() else { return false }
            return metrics.inFlight == 0 && metrics.clientConnections == 0
                && (metrics.upstreamConnections[UpstreamID("s1")].map { $0[0] + $0[1] } ?? 0) == 0
        })
    }

    @Test("no connection leak after a burst with aborted clients")
    func noLeakAfterBurst() async throws {
        let a = try await TestUpstream.start(name: "a1")
        let (proxy, _) = try await ProxyHarness.start(services: ["svc": [a]], threads: 2) {
            $0.maxIdleConnectionsPerUpstream = 4
        }
        defer { Task { await proxy.stop(); await a.stop() } }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    if index % 4 == 3 {
                        // Abort mid-request or mid-response.
                        let raw = try await RawConnection.connect(port: proxy.port, group: proxy.clientGroup)
                        try await raw.send(index % 8 == 3
                            ? "POST /echo HTTP/1.1\r\nX-Service: svc\r\nContent-Length: 100\r\n\r\nabc"
                            : "GET /slow?ms=100 HTTP/1.1\r\nX-Service: svc\r\n\r\n")
                        try await Task.sleep(for: .milliseconds(20))
                        await raw.close()
                    } else {
                        let client = try await proxy.client()
                        for _ in 0..<5 {
                            _ = try await client.request(.GET, "/", headers: [("X-Service", "svc")])
                        }
                        await client.close()
                    }
                }
            }
            try await group.waitForAll()
        }
        let drained = await eventually {
            guard let metrics = try? await proxy.metrics() else { return false }
            return metrics.clientConnections == 0 && metrics.inFlight == 0
                && metrics.upstreamConnectionsOpen == metrics.upstreamConnectionsIdle
                && metrics.upstreamConnectionsIdle <= 8  // 4 per loop, 2 loops
                && a.stats.open == metrics.upstreamConnectionsOpen
        }
        let metrics = try await proxy.metrics()
        let state = try await proxy.server.debugState()
        #expect(drained, """
            clients \(metrics.clientConnections) inFlight \(metrics.inFlight) open \(metrics.upstreamConnectionsOpen) \
            idle \(metrics.upstreamConnectionsIdle) upstream-side \(a.stats.open)
            \(state)
            """)
        #expect(metrics.clientConnectionsTotal >= 40)
    }
}
