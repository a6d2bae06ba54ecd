/// The scenario's `topology` section: the proxy's node, the client and the nodes with their
/// round-trip times from the proxy node.
public struct Topology: Hashable, Sendable, Codable {
    /// The client that sends every request.
    public struct Client: Hashable, Sendable, Codable {
        /// Client name.
        public var name: String
        /// Node whose LAN the client is on.
        public var attachedTo: String
        /// One-way-and-back cost of the client → proxy hop (ms), `c` in §7.2.
        public var clientToProxyMs: Double
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, attachedTo = "attached_to", clientToProxyMs = "client_to_proxy_ms"
        }
    }

    /// A node of the cluster.
    public struct Node: Hashable, Sendable, Codable {
        /// Node name.
        public var name: String
        /// Tier label (cloud, near_edge, far_edge); informative.
        public var tier: String
        /// Warm network round trip from the proxy node (ms), `r_n` in §7.2.
        public var rttMs: Double
        enum CodingKeys: String, CodingKey, CaseIterable { case name, tier, rttMs = "rtt_ms" }
    }

    /// The node that runs the proxy all requests enter.
    public var proxyNode: String
    /// The client.
    public var client: Client
    /// Link delays as labelled in the deliverable's figure (informative).
    public var emulatedLinkDelaysMs: [String: Double]?
    /// The nodes.
    public var nodes: [Node]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case client, nodes
        case proxyNode = "proxy_node", emulatedLinkDelaysMs = "emulated_link_delays_ms"
    }

    /// The node named `name`.
    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }
}
