import Routing
import Scripting

/// Resolves a balancer name to routing policies: the scenario's algorithms, the built-ins
/// (`nodeport`, `peak_ewma_p2c`, `slo_aware`), or a Lua plugin (a `balancer` plugin picks within
/// the SLO-aware pool; a `predictor` plugin drives a threshold pool).
public struct PolicyCatalog {
    /// Algorithm specifications by name (a scenario's `algorithms`), checked before the built-ins.
    public let algorithms: OrderedMap<AlgorithmSpec>
    /// The service's requirement and the proxy's node.
    public let context: PolicyContext
    /// The script host that runs Lua plugins (plugins need one).
    public let host: ScriptHost?

    /// A catalog of a scenario's algorithms, requirement and proxy node.
    public init(scenario: Scenario, host: ScriptHost?) {
        self.init(algorithms: scenario.algorithms ?? OrderedMap(),
                  context: PolicyContext(ownNode: scenario.topology.proxyNode, requirement: scenario.requirement), host: host)
    }

    /// A catalog of the given algorithms (plus the built-ins) in `context`.
    public init(algorithms: OrderedMap<AlgorithmSpec> = OrderedMap(), context: PolicyContext, host: ScriptHost?) {
        self.algorithms = algorithms
        self.context = context
        self.host = host
    }

    private func spec(_ name: String) -> AlgorithmSpec? { algorithms[name] ?? PolicyFactory.builtins[name] }

    /// Every name `make` accepts.
    public var names: [String] {
        let algorithms = Array(self.algorithms.keys)
        let builtins = PolicyFactory.builtins.keys.filter { !algorithms.contains($0) }
        let plugins = host?.plugins.entries.compactMap { e -> String? in
            guard let d = try? host?.plugins.describe(e.name), d.kind == "balancer" || d.kind == "predictor" else { return nil }
            return e.name
        } ?? []
        return algorithms + builtins + plugins
    }

    /// A new policy for `name`.
    public func make(_ name: String) throws -> any RoutingPolicy {
        if let spec = spec(name) { return PolicyFactory.make(spec, name: name, context: context) }
        guard let host, let description = try? host.plugins.describe(name) else {
            throw WorkbenchError.unknownPlugin("unknown balancer '\(name)' (available: \(names.joined(separator: ", ")))")
        }
        switch description.kind {
        case "balancer":
            return SLOAwarePolicy(name: name, context: context, balancer: try LuaBalancer(plugin: name, host: host))
        case "predictor":
            return try LuaPredictorPolicy(plugin: name, host: host, tauMs: context.requirement.tauMs)
        default:
            throw WorkbenchError.invalidInput("plugin '\(name)' is a \(description.kind), not a balancer or predictor")
        }
    }
}
