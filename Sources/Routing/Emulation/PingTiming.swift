/// How the proxy's pings of emulated nodes are timed.
///
/// A ping is control-plane traffic that the emulator's pinger (``QoSRouterHooks/pinger``) sends
/// over a real loopback connection to the node's server. Its **modeled duration waits on the
/// scenario clock** (`modelMs / K` wall-clock ms), so a sequential ping pass lasts as long in
/// scenario time as in the scenario; with real-time waits a pass over the deliverable's seven
/// nodes would last ≈ 20 scenario seconds at K = 20 instead of ≈ 1, and change what a policy
/// sees (e.g. which results QEdgeProxy still finds in its 60 s ping cache). The value reported to
/// the policy is the modeled duration **plus the real loopback overhead** (the wall time beyond
/// the wait), in whole ms, as requests carry the real proxy's overhead.
public enum PingTiming {
    /// Wall-clock milliseconds the node waits before answering a ping of `modelMs`.
    public static func wallDelayMs(modelMs: Double, scale: TimeScale) -> Double {
        scale.wallSeconds(forScenario: modelMs / 1000) * 1000
    }

    /// The whole milliseconds reported for a ping of `modelMs` that took `elapsedWallMs`.
    public static func reportedMs(modelMs: Double, elapsedWallMs: Double, scale: TimeScale) -> Int {
        let overhead = max(0, elapsedWallMs - wallDelayMs(modelMs: modelMs, scale: scale))
        return Int((modelMs + overhead).rounded(.down))
    }
}
