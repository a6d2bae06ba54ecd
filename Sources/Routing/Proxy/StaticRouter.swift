import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A ``ProxyRouter`` over a fixed registry: a uniform random pick among a service's instances.
///
/// Thread-safe and cheap per call: the registry is an immutable snapshot retained under a lock
/// for a few nanoseconds; an unseeded router draws from a per-thread generator (no lock); a seeded
/// router's generator sits behind its own lock. Replace the registry at any time with
/// ``update(_:)`` (a ``RegistryFileWatcher`` does so when the file changes).
///
/// Optional passive ejection (`ejectionSeconds > 0`): an instance whose attempt failed at the
/// transport level is skipped for that long, unless every remaining instance is ejected (then
/// ejection is ignored, like Envoy's panic mode). Off by default: the pick is purely uniform and
/// failover relies on the proxy's single retry.
public final class StaticRouter: ProxyRouter {
    private struct EjectionKey: Hashable {
        var service: String
        var upstream: UpstreamID
    }

    /// The registry, swapped whole on update; readers only retain it under the lock.
    private final class Snapshot: Sendable {
        let registry: UpstreamRegistry
        init(_ registry: UpstreamRegistry) { self.registry = registry }
    }

    /// A per-thread generator for the unseeded case (no lock, no syscall per pick).
    private final class ThreadGenerator: @unchecked Sendable {
        var generator: ProxyRandomGenerator
        init() {
            var system = SystemRandomNumberGenerator()
            generator = ProxyRandomGenerator(seed: system.next())
        }
    }

    private let snapshot: NIOLockedValueBox<Snapshot>
    private let seeded: NIOLockedValueBox<ProxyRandomGenerator>?
    private let threadGenerator = ThreadSpecificVariable<ThreadGenerator>()
    private let ejectedUntil = NIOLockedValueBox<[EjectionKey: NIODeadline]>([:])
    private let ejectionSeconds: Double
    private let retryAfterSeconds: Int

    /// Creates a router.
    ///
    /// - Parameters:
    ///   - registry: The services and instances.
    ///   - seed: Seed for a deterministic generator (ProxyRandomGenerator, behind a lock); `nil` uses a
    ///     per-thread ProxyRandomGenerator seeded from the system generator.
    ///   - ejectionSeconds: Passive ejection time after a transport failure; 0 disables it.
    ///   - retryAfterSeconds: The `Retry-After` advertised when a service has no instance.
    public init(registry: UpstreamRegistry, seed: UInt64? = nil, ejectionSeconds: Double = 0, retryAfterSeconds: Int = 1) {
        self.snapshot = NIOLockedValueBox(Snapshot(registry))
        self.seeded = seed.map { NIOLockedValueBox(ProxyRandomGenerator(seed: $0)) }
        self.ejectionSeconds = ejectionSeconds
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The current registry.
    public var registry: UpstreamRegistry {
        snapshot.withLockedValue { $0 }.registry
    }

    /// Replaces the registry; in-flight requests keep the instance they were given.
    public func update(_ registry: UpstreamRegistry) {
        let fresh = Snapshot(registry)
        snapshot.withLockedValue { $0 = fresh }
        ejectedUntil.withLockedValue { $0.removeAll() }
    }

    @inline(__always)
    private func random(below count: Int) -> Int {
        if count == 1 { return 0 }
        if let seeded {
            return seeded.withLockedValue { Int.random(in: 0..<count, using: &$0) }
        }
        let box: ThreadGenerator
        if let existing = threadGenerator.currentValue {
            box = existing
        } else {
            box = ThreadGenerator()
            threadGenerator.currentValue = box
        }
        return Int.random(in: 0..<count, using: &box.generator)
    }

    public func route(service: String, excluding: [UpstreamID]) -> RouteDecision {
        let current = snapshot.withLockedValue { $0 }
        guard let entry = current.registry.services[service] else { return .unknownService }
        let instances = entry.instances
        let ejected = ejectionSeconds > 0 ? ejectedUntil.withLockedValue { $0 } : [:]
        let now = ejected.isEmpty ? NIODeadline.uptimeNanoseconds(0) : NIODeadline.now()

        func eligible(_ upstream: Upstream, honourEjection: Bool) -> Bool {
            if !excluding.isEmpty && excluding.contains(upstream.id) { return false }
            if honourEjection, let until = ejected[EjectionKey(service: service, upstream: upstream.id)], until > now {
                return false
            }
            return true
        }
        if excluding.isEmpty && ejected.isEmpty {
            guard !instances.isEmpty else { return .noInstance(retryAfterSeconds: retryAfterSeconds) }
            return .upstream(instances[random(below: instances.count)])
        }
        var honour = !ejected.isEmpty
        var count = 0
        for upstream in instances where eligible(upstream, honourEjection: honour) { count += 1 }
        if count == 0 && honour {
            honour = false
            for upstream in instances where eligible(upstream, honourEjection: false) { count += 1 }
        }
        guard count > 0 else { return .noInstance(retryAfterSeconds: retryAfterSeconds) }
        var pick = random(below: count)
        for upstream in instances where eligible(upstream, honourEjection: honour) {
            if pick == 0 { return .upstream(upstream) }
            pick -= 1
        }
        return .noInstance(retryAfterSeconds: retryAfterSeconds)  // unreachable
    }

    public func record(_ outcome: UpstreamOutcome) {
        guard ejectionSeconds > 0 else { return }
        let key = EjectionKey(service: outcome.service, upstream: outcome.upstream)
        if outcome.isTransportError {
            let until = NIODeadline.now() + .nanoseconds(Int64(ejectionSeconds * 1e9))
            ejectedUntil.withLockedValue { $0[key] = until }
        } else if outcome.error == nil {
            ejectedUntil.withLockedValue { table in
                if !table.isEmpty { table[key] = nil }
            }
        }
    }

    public var knownServices: [String] {
        registry.services.keys.sorted()
    }

    public func latencyThresholdMs(service: String) -> Double? {
        registry.services[service]?.latencyThresholdMs
    }

    public func totalTimeoutSeconds(service: String) -> Double? {
        registry.services[service]?.timeoutSeconds
    }

    public func poolSizes() -> [String: Int] {
        registry.services.mapValues { $0.instances.count }
    }
}
