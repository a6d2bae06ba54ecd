/// One instance (pod) of a service, as the proxy sees it.
///
/// Instances are identified by `name`; `node` is the node that hosts the instance (latency state
/// of some baselines is kept per node, not per instance). `attributes` carries static instance
/// attributes (accuracy, security level, hops, ...) used by share clauses and admission filters.
public struct Instance: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Unique instance name (pod name), e.g. `s3`.
    public var name: String
    /// Name of the node hosting the instance, e.g. `worker3`.
    public var node: String
    /// Network address (`ip:port`) when the instance is real; `nil` in the simulator.
    public var address: String?
    /// Static attributes of the instance (numeric), e.g. `["accuracy": 0.97]`.
    public var attributes: [String: Double]

    /// Creates an instance description.
    public init(name: String, node: String, address: String? = nil, attributes: [String: Double] = [:]) {
        self.name = name
        self.node = node
        self.address = address
        self.attributes = attributes
    }

    public var description: String { "\(name)@\(node)" }
}
