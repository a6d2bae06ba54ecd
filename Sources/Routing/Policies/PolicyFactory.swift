/// Builds policies from algorithm specifications (the scenario's `algorithms` section or the
/// built-in defaults).
public enum PolicyFactory {
    /// Algorithms available without a scenario entry: the peers and aiotwin's balancer with their
    /// default parameters (a scenario entry of the same name wins).
    public static let builtins = OrderedMap<AlgorithmSpec>([
        ("nodeport", .nodeport),
        ("peak_ewma_p2c", .peakEWMAP2C(PeakEWMAParameters())),
        ("slo_aware", .sloAware(SLOAwareParameters())),
    ])

    /// A new policy for `spec`, named `name`, running in `context`.
    public static func make(_ spec: AlgorithmSpec, name: String, context: PolicyContext) -> any RoutingPolicy {
        switch spec {
        case .nodeport: return NodePortPolicy(name: name)
        case .proxymity(let p): return ProxymityPolicy(name: name, parameters: p, context: context)
        case .qedgeproxy(let p): return QEdgeProxyPolicy(name: name, parameters: p, context: context)
        case .peakEWMAP2C(let p): return PeakEWMAP2CPolicy(name: name, parameters: p)
        case .sloAware(let p): return SLOAwarePolicy(name: name, parameters: p, context: context)
        }
    }

    /// The specification of algorithm `name`: the scenario's entry, else a built-in.
    public static func spec(named name: String, in scenario: Scenario?) throws -> AlgorithmSpec {
        if let s = scenario?.algorithms?[name] { return s }
        if let s = builtins[name] { return s }
        throw ScenarioError.unknownAlgorithm(name)
    }

    /// A new policy for algorithm `name` of `scenario` (or a built-in), on the scenario's proxy
    /// node with the scenario's requirement.
    public static func make(name: String, scenario: Scenario) throws -> any RoutingPolicy {
        make(try spec(named: name, in: scenario), name: name,
             context: PolicyContext(ownNode: scenario.topology.proxyNode, requirement: scenario.requirement))
    }
}
