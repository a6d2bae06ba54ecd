/// One change an emulation makes to its loopback cluster, or one request it sends: the
/// scenario's events broken into what the instance servers and the proxy's registry see.
public enum ClusterAction: Hashable, Sendable {
    /// The instance's server starts answering (its pod is deployed).
    case deploy(instance: String)
    /// The proxy learns of the instance (it joins the registry).
    case show(instance: String)
    /// The instance's server stops: new connections are refused, kept-alive ones are closed
    /// once their request in flight (if any) has been answered.
    case stop(instance: String)
    /// The proxy forgets the instance (it leaves the registry).
    case hide(instance: String)
    /// The instance's service time grows by `ms`.
    case addServiceTime(instance: String, ms: Double)
    /// The round trip from the proxy node to `node` grows by `ms`.
    case addRTT(node: String, ms: Double)
    /// The load generator sends request `index`.
    case request(index: Int)

    /// The actions a scenario event stands for, with their delays after the event (scenario
    /// seconds), in the order they apply. This mirrors the ``Simulator``: `instance_add` deploys
    /// at once and is visible after `ready_delay_s`; `instance_remove` stops the pod at once and
    /// is invisible after `watch_delay_s`; `instance_fail` stops the pod and keeps it listed.
    public static func actions(for event: ScenarioEvent) -> [(delayS: Double, action: ClusterAction)] {
        switch event {
        case .instanceAdd(let name, let ready):
            return [(0, .deploy(instance: name)), (max(0, ready), .show(instance: name))]
        case .instanceRemove(let name, _, let watch):
            return [(0, .stop(instance: name)), (max(0, watch), .hide(instance: name))]
        case .instanceFail(let name, _):
            return [(0, .stop(instance: name))]
        case .serviceTimeAdd(let name, let ms):
            return [(0, .addServiceTime(instance: name, ms: ms))]
        case .nodeRttAdd(let node, let ms):
            return [(0, .addRTT(node: node, ms: ms))]
        }
    }
}
