/// One instance of the scenario's `instances` list.
public struct InstanceSpec: Hashable, Sendable, Codable {
    /// Instance name.
    public var name: String
    /// Hosting node.
    public var node: String
    /// Service (processing) time per request (ms), `s_i` in §7.2.
    public var serviceMs: Double
    /// Optional static attributes for share clauses (aiotwin extension).
    public var attributes: [String: Double]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, node, attributes, serviceMs = "service_ms"
    }

    /// The routing view of this instance.
    public var instance: Instance {
        Instance(name: name, node: node, attributes: attributes ?? [:])
    }
}
