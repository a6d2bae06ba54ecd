import Foundation

/// Evaluates constraint quantities on a scenario's latency model.
///
/// Grammar (whitespace-insensitive):
/// - a **sum** of terms joined by `+`: `R(<instance>)` (mean warm proxied response, see
///   ``Scenario/warmProxiedResponseMs(_:)``), `rtt(<node>)`, `pod_hop_rtt_ms`,
///   `proxy_overhead_ms`, `cross_node_overhead_ms`, `client_to_proxy_ms`, `nodeport.extra_ms`,
///   `tau_ms`, or a number;
/// - `mean over instances of R`;
/// - `count <sum> < <sum>`, where the sums may use the bare `R`, standing for each instance's
///   `R(i)` in turn; the value is the number of instances for which the relation holds.
public enum ConstraintCheck {
    /// Checks every constraint of `scenario`.
    public static func check(_ scenario: Scenario) throws -> [ConstraintResult] {
        try (scenario.constraints ?? []).enumerated().map { i, c in
            let v = try evaluate(c.quantity, in: scenario, path: "constraints[\(i)].quantity")
            let holds: Bool
            if let target = c.valueMs { holds = abs(v - target) <= (c.toleranceMs ?? 0) + 1e-9 }
            else if let target = c.value { holds = abs(v - target) < 1e-9 }
            else if let bound = c.greaterThanMs { holds = v > bound }
            else if let bound = c.lessThanMs { holds = v < bound }
            else {
                throw FieldError.invalid(path: "constraints[\(i)]", reason: "needs one of value_ms, value, greater_than_ms, less_than_ms")
            }
            return ConstraintResult(constraint: c, computed: v, holds: holds)
        }
    }

    /// The value of `quantity` for `scenario`; throws ``FieldError`` (at `path`) when it does
    /// not parse.
    public static func evaluate(_ quantity: String, in scenario: Scenario, path: String = "quantity") throws -> Double {
        let q = quantity.trimmingCharacters(in: .whitespaces)
        if q.replacingOccurrences(of: " ", with: "") == "meanoverinstancesofR" {
            let rs = try scenario.instances.map { try scenario.warmProxiedResponseMs($0.name) }
            return rs.reduce(0, +) / Double(max(rs.count, 1))
        }
        if q.hasPrefix("count ") {
            let body = q.dropFirst("count ".count)
            let sides = body.components(separatedBy: "<")
            guard sides.count == 2 else { throw FieldError.invalid(path: path, reason: "expected 'count <sum> < <sum>' in '\(quantity)'") }
            var n = 0
            for inst in scenario.instances {
                let r = try scenario.warmProxiedResponseMs(inst.name)
                let lhs = try sum(sides[0], scenario, bareR: r, path: path)
                let rhs = try sum(sides[1], scenario, bareR: r, path: path)
                if lhs < rhs { n += 1 }
            }
            return Double(n)
        }
        return try sum(q, scenario, bareR: nil, path: path)
    }

    static func sum(_ text: String, _ s: Scenario, bareR: Double?, path: String) throws -> Double {
        try text.components(separatedBy: "+").reduce(0.0) { acc, raw in
            acc + (try term(raw.trimmingCharacters(in: .whitespaces), s, bareR: bareR, path: path))
        }
    }

    static func term(_ t: String, _ s: Scenario, bareR: Double?, path: String) throws -> Double {
        func argument(_ prefix: String) -> String? {
            guard t.hasPrefix(prefix + "("), t.hasSuffix(")") else { return nil }
            return String(t.dropFirst(prefix.count + 1).dropLast()).trimmingCharacters(in: .whitespaces)
        }
        if let name = argument("R") {
            do { return try s.warmProxiedResponseMs(name) } catch {
                throw FieldError.invalid(path: path, reason: "unknown instance '\(name)' in R(...)")
            }
        }
        if let node = argument("rtt") {
            guard let n = s.topology.node(named: node) else { throw FieldError.invalid(path: path, reason: "unknown node '\(node)' in rtt(...)") }
            return n.rttMs
        }
        switch t {
        case "R":
            guard let r = bareR else { throw FieldError.invalid(path: path, reason: "bare R is only allowed after 'count'") }
            return r
        case "pod_hop_rtt_ms": return s.latencyModel.podHopRttMs
        case "proxy_overhead_ms": return s.latencyModel.proxyOverheadMs
        case "cross_node_overhead_ms": return s.latencyModel.crossNodeOverheadMs
        case "client_to_proxy_ms": return s.topology.client.clientToProxyMs
        case "nodeport.extra_ms": return s.latencyModel.nodeport.extraMs
        case "tau_ms": return s.slo.tauMs
        default:
            if let v = Double(t) { return v }
            throw FieldError.invalid(path: path, reason: "cannot evaluate term '\(t)'")
        }
    }
}
