import NIOConcurrencyHelpers
import Testing

@testable import Routing

/// QoSRouter across registry reloads: policies kept, remade or forgotten.
@Suite("QoS router reloads")
struct QoSRouterReloadTests {
    static let upstream = Upstream(id: "a1", host: "127.0.0.1", port: 9, node: "n1")

    static func registry(_ balancer: String?) -> UpstreamRegistry {
        UpstreamRegistry(services: ["svc": .init(instances: [upstream], balancer: balancer)])
    }

    @Test("a changed balancer makes a new policy; an unchanged one keeps it")
    func balancerChange() {
        let made = NIOLockedValueBox<[String]>([])
        let router = QoSRouter(registry: Self.registry("nodeport")) { _, balancer, _ in
            made.withLockedValue { $0.append(balancer ?? "-") }
            return NodePortPolicy(name: balancer ?? "-")
        }
        router.update(Self.registry("nodeport"))
        #expect(made.withLockedValue { $0 } == ["nodeport"])
        router.update(Self.registry("slo_aware"))
        #expect(made.withLockedValue { $0 } == ["nodeport", "slo_aware"])
        guard case .upstream(let chosen) = router.route(service: "svc", excluding: []) else {
            Issue.record("no route after the balancer changed")
            return
        }
        #expect(chosen.id == "a1")
    }

    @Test("a policy that fails on reload answers 503; once the service leaves the registry it is unknown")
    func failureForgotten() {
        struct Broken: Error {}
        let router = QoSRouter(registry: Self.registry("nodeport")) { _, balancer, _ in
            guard balancer == "nodeport" else { throw Broken() }
            return NodePortPolicy(name: "nodeport")
        }
        router.update(Self.registry("broken"))
        guard case .noInstance = router.route(service: "svc", excluding: []) else {
            Issue.record("a failed policy should answer no instance (503)")
            return
        }
        router.update(UpstreamRegistry())
        guard case .unknownService = router.route(service: "svc", excluding: []) else {
            Issue.record("a removed service should be unknown (404)")
            return
        }
        router.update(Self.registry("nodeport"))
        guard case .upstream = router.route(service: "svc", excluding: []) else {
            Issue.record("a fixed service should route again")
            return
        }
    }

    @Test("a policy made on reload gets its entry's τ (or the default), not the start-up one")
    func thresholdsFromTheAppliedRegistry() {
        let taus = NIOLockedValueBox<[String: Double]>([:])
        let router = QoSRouter(registry: Self.registry("nodeport"), defaultTauMs: 80) { service, balancer, tau in
            taus.withLockedValue { $0[service] = tau }
            return NodePortPolicy(name: balancer ?? "-")
        }
        router.update(UpstreamRegistry(services: [
            "svc": .init(instances: [Self.upstream], balancer: "nodeport"),
            "late": .init(instances: [Self.upstream], latencyThresholdMs: 30, balancer: "nodeport"),
        ]))
        #expect(taus.withLockedValue { $0 } == ["svc": 80, "late": 30])
        #expect(router.latencyThresholdMs(service: "late") == 30)
    }
}
