import Routing
import Scripting

/// Resolves a balancer name to routing policies: the scenario's algorithms, the built-ins
/// (`nodeport`, `peak_ewma_p2c`, `slo_aware`), or a Lua plugin (a `balancer` plugin picks within
/// the SLO-aware pool; a `predictor` plugin drives a threshold pool).
public struct PolicyCatalog {
    /// The scenario whose algorithms and requirement apply.
    public let scenario: Scenario
    /// The script host that runs Lua plugins (plugins need one).
    public let host: ScriptHost?

    /// Creates a catalog.
    public init(scenario: Scenario, host: ScriptHost?) { self.scenario = scenario; self.host = host }

    /// Every name `make` accepts.
    public var names: [String] {
        let algorithms = scenario.algorithms.map { Array($0.keys) } ?? []
        let builtins = PolicyFactory.builtins.keys.filter { !algorithms.contains($0) }
        let plugins = host?.plugins.entries.compactMap { e -> String? in
            guard let d = try? host?.plugins.describe(e.name), d.kind == "balancer" || d.kind == "predictor" else { return nil }
            return e.name
        } ?? []
        return algorithms + builtins + plugins
    }

    /// Whether policies from `name` run Lua (and so must stay on one thread).
    public func usesLua(_ name: String) -> Bool {
        (try? PolicyFactory.spec(named: name, in: scenario)) == nil
    }

    /// A new policy for `name`.
    public func make(_ name: String) throws -> any RoutingPolicy {
        if let spec = try? PolicyFactory.spec(named: name, in: scenario) {
            return PolicyFactory.make(spec, name: name,
                                      context: PolicyContext(ownNode: scenario.topology.proxyNode, requirement: scenario.requirement))
        }
        guard let host, let description = try? host.plugins.describe(name) else {
            throw WorkbenchError.unknownPlugin("unknown balancer '\(name)' (available: \(names.joined(separator: ", ")))")
        }
        switch description.kind {
        case "balancer":
            return SLOAwarePolicy(name: name, context: PolicyContext(ownNode: scenario.topology.proxyNode, requirement: scenario.requirement),
                                  balancer: try LuaBalancer(plugin: name, host: host))
        case "predictor":
            return try LuaPredictorPolicy(plugin: name, host: host, tauMs: scenario.requirement.tauMs)
        default:
            throw WorkbenchError.invalidInput("plugin '\(name)' is a \(description.kind), not a balancer or predictor")
        }
    }
}
