/// A change applied to the cluster when a phase starts (spec §7.1: T1–T4).
public enum ScenarioEvent: Hashable, Sendable {
    /// How an instance leaves.
    public enum RemoveMode: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// The pod is deleted at once; the proxy learns it after `watchDelayS`.
        case delete
    }
    /// How an instance fails while keeping its endpoint.
    public enum FailMode: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// Every request to it gets "connection refused" (a transport error).
        case connectionRefused = "connection_refused"
    }

    /// A new instance (from the scenario's `instances`) is deployed; the proxy sees it after
    /// `readyDelayS` seconds.
    case instanceAdd(instance: String, readyDelayS: Double)
    /// The instance's service time grows by `addMs` (overload).
    case serviceTimeAdd(instance: String, addMs: Double)
    /// The instance is removed from the cluster.
    case instanceRemove(instance: String, mode: RemoveMode, watchDelayS: Double)
    /// The round trip from the proxy node to `node` grows by `addMs` (pods and pings alike).
    case nodeRttAdd(node: String, addMs: Double)
    /// The instance stays listed but refuses connections.
    case instanceFail(instance: String, mode: FailMode)

    /// The YAML `type` of the event.
    public var type: String {
        switch self {
        case .instanceAdd: return "instance_add"
        case .serviceTimeAdd: return "service_time_add"
        case .instanceRemove: return "instance_remove"
        case .nodeRttAdd: return "node_rtt_add"
        case .instanceFail: return "instance_fail"
        }
    }

    /// The instance the event is about, if any.
    public var instance: String? {
        switch self {
        case .instanceAdd(let i, _), .serviceTimeAdd(let i, _), .instanceRemove(let i, _, _), .instanceFail(let i, _): return i
        case .nodeRttAdd: return nil
        }
    }
}

extension ScenarioEvent: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, instance, node, mode
        case readyDelayS = "ready_delay_s", addMs = "add_ms", watchDelayS = "watch_delay_s"
    }

    /// Keys each event type accepts.
    static let allowedKeys: [String: Set<CodingKeys>] = [
        "instance_add": [.type, .instance, .readyDelayS],
        "service_time_add": [.type, .instance, .addMs],
        "instance_remove": [.type, .instance, .mode, .watchDelayS],
        "node_rtt_add": [.type, .node, .addMs],
        "instance_fail": [.type, .instance, .mode],
    ]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        guard let allowed = Self.allowedKeys[type] else {
            throw FieldError.invalid(path: FieldPath.string(decoder.codingPath, "type"),
                                     reason: "unknown event type '\(type)' (expected one of \(Self.allowedKeys.keys.sorted().joined(separator: ", ")))")
        }
        for key in c.allKeys where !allowed.contains(key) {
            throw FieldError.unknownKey(path: FieldPath.string(decoder.codingPath, key.stringValue))
        }
        let p = decoder.codingPath
        switch type {
        case "instance_add":
            let delay = try c.decodeIfPresent(Double.self, forKey: .readyDelayS) ?? 0
            try FieldCheck.nonNegative(delay, "ready_delay_s", p)
            self = .instanceAdd(instance: try c.decode(String.self, forKey: .instance), readyDelayS: delay)
        case "service_time_add":
            let add = try c.decode(Double.self, forKey: .addMs)
            try FieldCheck.finite(add, "add_ms", p)
            self = .serviceTimeAdd(instance: try c.decode(String.self, forKey: .instance), addMs: add)
        case "instance_remove":
            let delay = try c.decodeIfPresent(Double.self, forKey: .watchDelayS) ?? 0
            try FieldCheck.nonNegative(delay, "watch_delay_s", p)
            self = .instanceRemove(instance: try c.decode(String.self, forKey: .instance),
                                   mode: try c.decodeIfPresent(RemoveMode.self, forKey: .mode) ?? .delete,
                                   watchDelayS: delay)
        case "node_rtt_add":
            let add = try c.decode(Double.self, forKey: .addMs)
            try FieldCheck.finite(add, "add_ms", p)
            self = .nodeRttAdd(node: try c.decode(String.self, forKey: .node), addMs: add)
        default:
            self = .instanceFail(instance: try c.decode(String.self, forKey: .instance),
                                 mode: try c.decodeIfPresent(FailMode.self, forKey: .mode) ?? .connectionRefused)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .instanceAdd(let i, let d):
            try c.encode(i, forKey: .instance); try c.encode(d, forKey: .readyDelayS)
        case .serviceTimeAdd(let i, let a):
            try c.encode(i, forKey: .instance); try c.encode(a, forKey: .addMs)
        case .instanceRemove(let i, let m, let d):
            try c.encode(i, forKey: .instance); try c.encode(m, forKey: .mode); try c.encode(d, forKey: .watchDelayS)
        case .nodeRttAdd(let n, let a):
            try c.encode(n, forKey: .node); try c.encode(a, forKey: .addMs)
        case .instanceFail(let i, let m):
            try c.encode(i, forKey: .instance); try c.encode(m, forKey: .mode)
        }
    }
}
