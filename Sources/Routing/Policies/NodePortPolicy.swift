#if canImport(Learning)
import Learning
#endif

/// Kubernetes NodePort / kube-proxy as evaluated (spec §4): no proxy, the backend is uniform at
/// random per request over all instances, without locality or feedback.
public final class NodePortPolicy: RoutingPolicy {
    public let name: String
    public private(set) var pool: [String] = []
    public var dataPath: DataPath { .nodePort }

    /// Creates the policy.
    public init(name: String = "nodeport") { self.name = name }

    public func instancesChanged(_ instances: [Instance], at now: Double) {
        pool = instances.map(\.name)
    }

    public func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance? {
        pool = candidates.map(\.name)
        guard !candidates.isEmpty else { return nil }
        return candidates[rng.int(below: candidates.count)]
    }

    public func observe(_ measurement: RequestMeasurement) {}
}
