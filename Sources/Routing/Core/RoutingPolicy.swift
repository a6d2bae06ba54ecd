#if canImport(Learning)
import Learning
#endif

/// A request-routing policy for one service: the central abstraction shared by the simulator,
/// the emulator and the real proxy.
///
/// One policy object exists per (proxy, service). The host owns the clock and the randomness:
/// every call carries `now` (seconds on the host's clock) and `choose` receives the host's
/// seeded generator, so the same policy code runs unchanged in the discrete-event simulator and
/// in a live proxy, and a simulation is reproducible from its seed.
///
/// Call protocol (all calls from one thread or actor, in time order):
/// 1. ``instancesChanged(_:at:)`` whenever the orchestrator's view of the instances changes
///    (and once before the first request);
/// 2. ``choose(at:candidates:rng:)`` for every request; `nil` means "no instance qualifies"
///    (the host answers 503);
/// 3. ``observe(_:)`` exactly once for every request that `choose` routed, when its response or
///    transport error arrives;
/// 4. ``pingsWanted(at:)`` after each of the calls above; the host pings the returned nodes
///    **sequentially, in order** (HTTP GET to the proxy on that node) and reports each result
///    with ``pingResult(node:latencyMs:at:)`` at the time it completes.
///
/// For plugins: the *pick* part of a policy is a pure function of its state, the candidates and
/// the generator (see ``Balancer``); the *observe* part updates state separately. The built-in
/// baselines keep that split internally, so a Lua plugin can replace either half.
public protocol RoutingPolicy: AnyObject {
    /// A short identifier of the policy (e.g. `qedgeproxy`), used in reports.
    var name: String { get }

    /// Names of the instances currently in the QoS pool (the set the policy draws from), in
    /// candidate order, as of the last call. For metrics and tests.
    var pool: [String] { get }

    /// How requests reach the chosen instance (proxied by default; NodePort bypasses the proxy).
    var dataPath: DataPath { get }

    /// Whether the host should keep warm (pre-established, kept-alive) upstream connections to
    /// every instance, so that no request pays a connection handshake (spec §8 target 1).
    var wantsWarmConnections: Bool { get }

    /// The orchestrator's current list of instances of the service (joins, leaves).
    func instancesChanged(_ instances: [Instance], at now: Double)

    /// Picks the instance for a request arriving at `now`. `candidates` are the instances the
    /// host can route to (the orchestrator's list); the result must be one of them, or `nil`
    /// when no instance qualifies.
    func choose(at now: Double, candidates: [Instance], rng: inout SeededGenerator) -> Instance?

    /// Reports the outcome of a request previously routed by ``choose(at:candidates:rng:)``.
    func observe(_ measurement: RequestMeasurement)

    /// Node names the policy wants pinged now, in order (sequentially); empty for none.
    func pingsWanted(at now: Double) -> [String]

    /// The result of a requested ping: whole milliseconds as measured by the host, or `nil` on
    /// error (refused, timeout).
    func pingResult(node: String, latencyMs: Int?, at now: Double)

    /// The policy's current predictions per instance name (empty when it has none).
    func predictions(at now: Double) -> [String: Prediction]
}

extension RoutingPolicy {
    public var dataPath: DataPath { .proxied }
    public var wantsWarmConnections: Bool { false }
    public func pingsWanted(at now: Double) -> [String] { [] }
    public func pingResult(node: String, latencyMs: Int?, at now: Double) {}
    public func predictions(at now: Double) -> [String: Prediction] { [:] }
}
