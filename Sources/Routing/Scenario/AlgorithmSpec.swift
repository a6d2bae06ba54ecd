/// One entry of the scenario file's `algorithms` map: a policy kind and its parameters.
public enum AlgorithmSpec: Hashable, Sendable {
    /// Kubernetes NodePort (uniform per request, proxy bypassed).
    case nodeport
    /// proxy-mity (spec §4).
    case proxymity(ProxymityParameters)
    /// Public QEdgeProxy (spec §3).
    case qedgeproxy(QEdgeProxyParameters)
    /// Peak-EWMA + P2C (spec §6.1).
    case peakEWMAP2C(PeakEWMAParameters)
    /// aiotwin's SLO-aware balancer (spec §5).
    case sloAware(SLOAwareParameters)

    /// The YAML `kind` of each case.
    public static let kinds = ["nodeport", "proxymity", "qedgeproxy", "peak_ewma_p2c", "slo_aware"]

    /// The YAML `kind`.
    public var kind: String {
        switch self {
        case .nodeport: return "nodeport"
        case .proxymity: return "proxymity"
        case .qedgeproxy: return "qedgeproxy"
        case .peakEWMAP2C: return "peak_ewma_p2c"
        case .sloAware: return "slo_aware"
        }
    }
}

extension AlgorithmSpec: Codable {
    private enum NodePortKeys: String, CodingKey, CaseIterable { case kind }

    public init(from decoder: Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        let kind = try any.decode(String.self, forKey: AnyKey("kind"))
        switch kind {
        case "nodeport":
            _ = try decoder.container(keyedBy: NodePortKeys.self)
            self = .nodeport
        case "proxymity": self = .proxymity(try ProxymityParameters(from: decoder))
        case "qedgeproxy": self = .qedgeproxy(try QEdgeProxyParameters(from: decoder))
        case "peak_ewma_p2c": self = .peakEWMAP2C(try PeakEWMAParameters(from: decoder))
        case "slo_aware": self = .sloAware(try SLOAwareParameters(from: decoder))
        default:
            throw FieldError.invalid(path: FieldPath.string(decoder.codingPath, "kind"),
                                     reason: "unknown algorithm kind '\(kind)' (expected one of \(Self.kinds.joined(separator: ", ")))")
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .nodeport:
            var c = encoder.container(keyedBy: NodePortKeys.self)
            try c.encode("nodeport", forKey: .kind)
        case .proxymity(let p): try p.encode(to: encoder)
        case .qedgeproxy(let p): try p.encode(to: encoder)
        case .peakEWMAP2C(let p): try p.encode(to: encoder)
        case .sloAware(let p): try p.encode(to: encoder)
        }
    }
}
