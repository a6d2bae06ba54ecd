/// What a policy knows about where it runs: its own node and the service's requirement.
public struct PolicyContext: Hashable, Sendable {
    /// The node hosting the proxy that runs the policy (`NODE_IP` in QEdgeProxy).
    public var ownNode: String
    /// The service's QoS requirement.
    public var requirement: QoSRequirement

    /// Creates a context.
    public init(ownNode: String, requirement: QoSRequirement = QoSRequirement()) {
        self.ownNode = ownNode
        self.requirement = requirement
    }
}
