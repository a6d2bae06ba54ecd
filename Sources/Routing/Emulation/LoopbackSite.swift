import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The sockets of an emulated cluster: a ``LoopbackHTTPServer`` per node (ping target) and per
/// deployed instance, and the instances the proxy knows, in scenario order. Used from one task
/// (the emulation's driver).
final class LoopbackSite {
    private let scenario: Scenario
    private let cluster: EmulatedCluster
    private let group: any EventLoopGroup
    private var nodeServers: [String: (server: LoopbackHTTPServer, port: Int)] = [:]
    private var instanceServers: [String: (server: LoopbackHTTPServer, port: Int)] = [:]
    private var retired: [LoopbackHTTPServer] = []
    private var visible: [String] = []
    private let quiet = NIOLockedValueBox(false)

    init(scenario: Scenario, cluster: EmulatedCluster, group: any EventLoopGroup) {
        self.scenario = scenario
        self.cluster = cluster
        self.group = group
    }

    /// Starts one ping target per node.
    func startNodes() async throws {
        for node in scenario.topology.nodes {
            let server = LoopbackHTTPServer(name: node.name)
            let port = try await server.start(on: group, behaviour: EmulatedEndpoints.node(node.name, cluster: cluster))
            nodeServers[node.name] = (server, port)
        }
    }

    /// Deploys instance `name`: its server starts listening (a new port after a stop).
    func deploy(_ name: String) async throws {
        if let running = instanceServers[name], !running.server.isStopped { return }
        if let old = instanceServers[name] { retired.append(old.server) }
        let server = LoopbackHTTPServer(name: name)
        let port = try await server.start(on: group, behaviour: EmulatedEndpoints.instance(name, cluster: cluster))
        instanceServers[name] = (server, port)
        cluster.apply(.deploy(instance: name))
    }

    /// The proxy learns of instance `name`.
    func show(_ name: String) {
        cluster.apply(.show(instance: name))
        guard !visible.contains(name) else { return }
        let order = scenario.instances.map(\.name)
        visible.append(name)
        visible.sort { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
    }

    /// Instance `name`'s server stops (connections refused from now on).
    func stop(_ name: String) async {
        cluster.apply(.stop(instance: name))
        await instanceServers[name]?.server.stop()
    }

    /// The proxy forgets instance `name`.
    func hide(_ name: String) {
        cluster.apply(.hide(instance: name))
        visible.removeAll { $0 == name }
    }

    /// The proxy's registry: `service` with the known instances (a stopped one keeps its last port).
    func registry(service: String, tauMs: Double) -> UpstreamRegistry {
        let instances = visible.compactMap { name -> Upstream? in
            guard let port = instanceServers[name]?.port, let spec = scenario.instance(named: name) else { return nil }
            return Upstream(id: UpstreamID(name), host: "127.0.0.1", port: port, node: spec.node)
        }
        return UpstreamRegistry(services: [service: .init(instances: instances, latencyThresholdMs: tauMs)])
    }

    /// The proxy's ping: `GET /echo` on a new connection to the node's server, reported as
    /// ``PingTiming/reportedMs(modelMs:elapsedWallMs:scale:)``; `nil` on error or after 10 s
    /// of wall time, and at once after ``quiesce()``.
    func pinger() -> QoSRouterHooks.Pinger {
        let ports = nodeServers.mapValues(\.port)
        let quiet = self.quiet
        let scale = cluster.clock.scale
        return { node, _, loop in
            guard !quiet.withLockedValue({ $0 }), let port = ports[node] else { return loop.makeSucceededFuture(nil) }
            let start = DispatchTime.now().uptimeNanoseconds
            let ping = LoopbackHTTPConnection.connect(port: port, on: loop).flatMap { connection in
                connection.send(LoopbackRequest(method: .GET, uri: "/echo", headers: [], body: [])).always { _ in connection.close() }
            }.map { response -> Int? in
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                guard let modelMs = response.header(EmulatedEndpoints.pingHeader).flatMap(Double.init) else { return nil }
                return PingTiming.reportedMs(modelMs: modelMs, elapsedWallMs: elapsed, scale: scale)
            }.recover { _ in nil }
            let promise = loop.makePromise(of: Int?.self)
            let timeout = loop.scheduleTask(in: .seconds(10)) { promise.succeed(nil) }
            ping.whenSuccess { value in
                timeout.cancel()
                promise.succeed(value)
            }
            return promise.futureResult
        }
    }

    /// Ends pinging (before the proxy's event loops stop): pings fail at once from now on.
    func quiesce() {
        quiet.withLockedValue { $0 = true }
    }

    /// Closes every server.
    func shutdown() async {
        for (_, s) in nodeServers { await s.server.shutdown() }
        for (_, s) in instanceServers { await s.server.shutdown() }
        for s in retired { await s.shutdown() }
    }
}
