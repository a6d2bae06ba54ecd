import Foundation
import Learning
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A ``ProxyRouter`` whose choices come from one ``RoutingPolicy`` per service: the same policy
/// code the simulator runs (QEdgeProxy, proxy-mity, SLO-aware, Lua plugins) now routes real
/// requests, learns from every response, and gets the node pings it asks for.
///
/// Thread safety: the proxy calls `route` and `record` from every event loop; each service's
/// policy sits behind its own lock, so a policy (which need not be thread-safe, e.g. a Lua one)
/// sees one call at a time. Policy calls take microseconds, so the lock is uncontended in practice.
public final class QoSRouter: ProxyRouter, RegistryUpdatable, @unchecked Sendable {
    /// Makes the policy of a service from its current registry entry: the balancer it names (or
    /// `nil` for the default) and its latency threshold τ (the entry's, else the router's default).
    public typealias PolicyFactory = @Sendable (_ service: String, _ balancer: String?, _ tauMs: Double) throws -> any RoutingPolicy

    private final class ServiceState: @unchecked Sendable {
        let lock = NIOLock()
        let policy: any RoutingPolicy
        /// The registry's balancer name the policy was made for (`nil`: the default).
        let balancer: String?
        /// The service's own generator (under `lock`), so services never share a lock.
        var rng: SeededGenerator
        var instances: [Instance]
        var upstreams: [String: Upstream]
        var tau: Double
        var timeout: Double?
        var pinging = false
        init(policy: any RoutingPolicy, entry: UpstreamRegistry.Service, tau: Double, rng: SeededGenerator) {
            self.policy = policy
            self.balancer = entry.balancer
            self.rng = rng
            self.instances = []
            self.upstreams = [:]
            self.tau = tau
            apply(entry)
        }
        func apply(_ entry: UpstreamRegistry.Service) {
            instances = entry.instances.map { u in
                Instance(name: u.id.rawValue, node: u.node ?? u.host, address: "\(u.host):\(u.port)")
            }
            upstreams = Dictionary(entry.instances.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
            timeout = entry.timeoutSeconds
        }
    }

    private let factory: PolicyFactory
    private let defaultTau: Double
    private let started = DispatchTime.now().uptimeNanoseconds
    private let states = NIOLockedValueBox<[String: ServiceState]>([:])
    private let seed: UInt64
    private let logger: Logger
    private let group: (any EventLoopGroup)?
    private let hooks: QoSRouterHooks
    private var pingTask: RepeatedTask?
    /// Policy failures (a factory error for a service); routing answers 503 for it.
    public let failures = NIOLockedValueBox<[String: String]>([:])

    /// A router over `registry`; `group` runs node pings (none without it); `seed` makes choices
    /// reproducible. Pings are TCP connects to an instance on the node, timed in whole ms, unless
    /// `hooks` say otherwise (``QoSRouterHooks``: clock, pinger, ping polling).
    public init(registry: UpstreamRegistry, defaultTauMs: Double = 80, seed: UInt64 = 1,
                group: (any EventLoopGroup)? = nil, logger: Logger = Logger(label: "aiotwin.proxy.qos"),
                hooks: QoSRouterHooks = QoSRouterHooks(), factory: @escaping PolicyFactory) {
        self.factory = factory
        self.defaultTau = defaultTauMs
        self.seed = seed
        self.logger = logger
        self.group = group
        self.hooks = hooks
        update(registry)
        if let loop = group?.next() {
            let poll = hooks.pingPollInterval
            pingTask = loop.scheduleRepeatedTask(initialDelay: min(poll, .milliseconds(200)), delay: poll) { [weak self] _ in
                self?.pingDue()
            }
        }
    }

    deinit { pingTask?.cancel() }

    /// Seconds on the router's clock.
    var now: Double { hooks.clock?() ?? Double(DispatchTime.now().uptimeNanoseconds - started) * 1e-9 }

    public func update(_ registry: UpstreamRegistry) {
        let t = now
        states.withLockedValue { states in
            for (name, entry) in registry.services {
                // A changed balancer gets a new policy (what the old one learnt does not carry over).
                if let state = states[name], state.balancer == entry.balancer {
                    state.lock.withLock {
                        state.apply(entry)
                        state.tau = entry.latencyThresholdMs ?? defaultTau
                        state.policy.instancesChanged(state.instances, at: t)
                    }
                    continue
                }
                do {
                    let state = ServiceState(policy: try factory(name, entry.balancer, entry.latencyThresholdMs ?? defaultTau), entry: entry,
                                             tau: entry.latencyThresholdMs ?? defaultTau,
                                             rng: SeededGenerator(seed: seed, label: "proxy/" + name))
                    state.lock.withLock { state.policy.instancesChanged(state.instances, at: t) }
                    states[name] = state
                    failures.withLockedValue { $0[name] = nil }
                } catch {
                    states[name] = nil
                    failures.withLockedValue { $0[name] = "\(error)" }
                    logger.error("service \(name): cannot create its routing policy: \(error)")
                }
            }
            for name in states.keys where registry.services[name] == nil { states[name] = nil }
            // A service that left the registry is unknown (404), even if its policy had failed.
            failures.withLockedValue { failed in
                for name in failed.keys where registry.services[name] == nil { failed[name] = nil }
            }
        }
    }

    public func route(service: String, excluding: [UpstreamID]) -> RouteDecision {
        guard let state = states.withLockedValue({ $0[service] }) else {
            return failures.withLockedValue { $0[service] } == nil ? .unknownService : .noInstance(retryAfterSeconds: 5)
        }
        let t = now
        return state.lock.withLock {
            let candidates = excluding.isEmpty ? state.instances : state.instances.filter { i in !excluding.contains { $0.rawValue == i.name } }
            let chosen = state.policy.choose(at: t, candidates: candidates, rng: &state.rng)
            guard let chosen, let upstream = state.upstreams[chosen.name] else { return .noInstance(retryAfterSeconds: 1) }
            return .upstream(upstream)
        }
    }

    public func record(_ outcome: UpstreamOutcome) {
        // A client abort says nothing about the instance.
        if let error = outcome.error, !error.isUpstreamFault { return }
        guard let state = states.withLockedValue({ $0[outcome.service] }) else { return }
        let t = now
        state.lock.withLock {
            guard let instance = state.instances.first(where: { $0.name == outcome.upstream.rawValue }) else { return }
            let ms = outcome.responseTimeMs
            state.policy.observe(RequestMeasurement(
                instance: instance, startedAt: t - ms / 1000, time: t, responseMs: ms, upstreamMs: ms,
                transportSuccess: !outcome.isTransportError, sloSuccess: outcome.isSuccess(thresholdMs: state.tau)))
        }
    }

    public var knownServices: [String] { states.withLockedValue { Array($0.keys) } }

    public func latencyThresholdMs(service: String) -> Double? { states.withLockedValue { $0[service] }?.tau }

    public func totalTimeoutSeconds(service: String) -> Double? { states.withLockedValue { $0[service] }?.timeout }

    public func poolSizes() -> [String: Int] {
        states.withLockedValue { $0 }.mapValues { state in state.lock.withLock { state.policy.pool.count } }
    }

    /// The current pool of each service, for logs and tests.
    public func pools() -> [String: [String]] {
        states.withLockedValue { $0 }.mapValues { state in state.lock.withLock { state.policy.pool } }
    }

    /// Asks every policy which nodes it wants pinged, and pings them one after another.
    private func pingDue() {
        guard let group else { return }
        let t = now
        for (_, state) in states.withLockedValue({ $0 }) {
            let (nodes, addresses): ([String], [String: Upstream]) = state.lock.withLock {
                guard !state.pinging else { return ([], [:]) }
                let wanted = state.policy.pingsWanted(at: t)
                var byNode: [String: Upstream] = [:]
                for i in state.instances { if byNode[i.node] == nil { byNode[i.node] = state.upstreams[i.name] } }
                if !wanted.isEmpty { state.pinging = true }
                return (wanted, byNode)
            }
            guard !nodes.isEmpty else { continue }
            pingSequentially(nodes[...], addresses: addresses, state: state, loop: group.next())
        }
    }

    private func pingSequentially(_ nodes: ArraySlice<String>, addresses: [String: Upstream], state: ServiceState, loop: any EventLoop) {
        guard let node = nodes.first else {
            state.lock.withLock { state.pinging = false }
            return
        }
        let rest = nodes.dropFirst()
        if let pinger = hooks.pinger {
            pinger(node, addresses[node], loop).whenComplete { result in
                self.report(node, (try? result.get()) ?? nil, state)
                self.pingSequentially(rest, addresses: addresses, state: state, loop: loop)
            }
            return
        }
        guard let target = addresses[node] else {
            report(node, nil, state)
            pingSequentially(rest, addresses: addresses, state: state, loop: loop)
            return
        }
        let start = DispatchTime.now().uptimeNanoseconds
        ClientBootstrap(group: loop).connectTimeout(.seconds(1)).connect(host: target.host, port: target.port).whenComplete { result in
            switch result {
            case let .success(channel):
                let ms = Int(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                channel.close(promise: nil)
                self.report(node, ms, state)
            case .failure:
                self.report(node, nil, state)
            }
            self.pingSequentially(rest, addresses: addresses, state: state, loop: loop)
        }
    }

    private func report(_ node: String, _ ms: Int?, _ state: ServiceState) {
        let t = now
        state.lock.withLock { state.policy.pingResult(node: node, latencyMs: ms, at: t) }
    }
}
