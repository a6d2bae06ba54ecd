import NIOCore

/// How an emulation runs: time scale, request limit and the host's knobs.
public struct EmulationSettings: Sendable {
    /// The default speedup: the deliverable's 4000 requests at 2 req/s (2000 s) take 100 s.
    public static let defaultSpeedup = 20.0

    /// Scenario time per wall-clock time (see ``TimeScale``).
    public var timeScale: TimeScale
    /// Send only the first N requests of the case (phases starting later are dropped).
    public var requests: Int?
    /// Event-loop threads of the proxy.
    public var proxyThreads: Int = 1
    /// How often the proxy's router asks its policy for pings (wall clock); `nil`: every 0.1 s
    /// of scenario time, at least every 1 ms of wall time.
    public var pingPoll: TimeAmount?
    /// Client connections to the proxy opened before the first request.
    public var prewarmedClientConnections: Int = 4
    /// Wall-clock seconds between progress reports.
    public var progressInterval: Double = 1

    /// Settings with speedup `speedup` and an optional request limit. Throws
    /// ``EmulationError/invalidOption(_:)`` for a speedup that is not a finite number > 0 or a
    /// limit < 1.
    public init(speedup: Double = EmulationSettings.defaultSpeedup, requests: Int? = nil) throws {
        guard let scale = TimeScale(speedup: speedup) else {
            throw EmulationError.invalidOption("the speedup must be a finite number > 0 (got \(speedup))")
        }
        if let requests, requests < 1 {
            throw EmulationError.invalidOption("the request limit must be at least 1 (got \(requests))")
        }
        self.timeScale = scale
        self.requests = requests
    }

    /// The ping polling interval in effect.
    public var effectivePingPoll: TimeAmount {
        pingPoll ?? .nanoseconds(max(1_000_000, Int64(timeScale.wallSeconds(forScenario: 0.1) * 1e9)))
    }
}
