import NIOCore

/// Optional seams of a ``QoSRouter`` for hosts other than a plain deployment (the loopback
/// emulator, tests): the clock the policies see, how a node is pinged, and how often the router
/// asks its policies for pings. The defaults are those of `aiotwin proxy serve`.
public struct QoSRouterHooks: Sendable {
    /// Pings `node` once and reports whole milliseconds, or `nil` on error. `instance` is an
    /// upstream on that node when the service has one; the future may complete on any loop.
    public typealias Pinger = @Sendable (_ node: String, _ instance: Upstream?, _ loop: any EventLoop) -> EventLoopFuture<Int?>

    /// Seconds on the policies' clock; `nil`: monotonic seconds since the router was created.
    public var clock: (@Sendable () -> Double)?
    /// The ping; `nil`: a TCP connect to an instance on the node (1 s timeout).
    public var pinger: Pinger?
    /// How often the router asks its policies which nodes to ping.
    public var pingPollInterval: TimeAmount

    /// Hooks with the given overrides (the defaults change nothing).
    public init(clock: (@Sendable () -> Double)? = nil, pinger: Pinger? = nil,
                pingPollInterval: TimeAmount = .milliseconds(500)) {
        self.clock = clock
        self.pinger = pinger
        self.pingPollInterval = pingPollInterval
    }
}
