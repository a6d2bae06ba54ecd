/// proxy-mity's configuration (spec §4; `algorithms.<name>` with `kind: proxymity`).
public struct ProxymityParameters: Hashable, Sendable, Codable {
    /// What happens when the walk lands on a node without a pod.
    public enum MissingNodeFallback: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// Take the next node of the same random walk that has a pod (the evaluated code).
        case nextNodeInRandomWalk = "next_node_in_random_walk"
    }

    /// How `n` in `(1−α)/n` is counted.
    public enum NCounts: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// The number of distinct nodes pinged in the pass.
        case distinctNodesInPass = "distinct_nodes_in_pass"
    }

    /// α: 0 = uniform over nodes, 1 = nearest node.
    public var alpha: Double = 0.8
    /// Softmax temperature T in `exp(−L_i/T)` (ms).
    public var temperatureMs: Double = 2
    /// Pings are floored at this value (whole ms).
    public var latencyFloorMs: Double = 3
    /// Latency recorded for a failed ping (`maxLatency`).
    public var pingErrorLatencyMs: Double = 80
    /// `QOS_PERIOD_S`: a pass is due when more than this has passed since the last one.
    public var refreshPeriodS: Double = 120
    /// `QOS_COOLDOWN_S`: minimum gap between passes (also for the "node without state" trigger).
    public var refreshCooldownS: Double = 60
    /// How elapsed times are compared with the period and the cooldown.
    public var periodComparison: TimeComparison = .wholeSecondsStrictlyGreater
    /// Walk behaviour for a node whose pod is gone.
    public var missingNodeFallback: MissingNodeFallback = .nextNodeInRandomWalk
    /// Response-time feedback; disabled in the evaluated code (only `false` is supported).
    public var responseFeedback: Bool = false
    /// How `n` is counted.
    public var nCounts: NCounts = .distinctNodesInPass

    /// The defaults (α = 0.8, the code default).
    public init() {}

    /// Defaults with the given α.
    public init(alpha: Double) { self.alpha = alpha }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, alpha
        case temperatureMs = "temperature_ms", latencyFloorMs = "latency_floor_ms"
        case pingErrorLatencyMs = "ping_error_latency_ms", refreshPeriodS = "refresh_period_s"
        case refreshCooldownS = "refresh_cooldown_s", periodComparison = "period_comparison"
        case missingNodeFallback = "missing_node_fallback", responseFeedback = "response_feedback"
        case nCounts = "n_counts"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = ProxymityParameters()
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? d.alpha
        temperatureMs = try c.decodeIfPresent(Double.self, forKey: .temperatureMs) ?? d.temperatureMs
        latencyFloorMs = try c.decodeIfPresent(Double.self, forKey: .latencyFloorMs) ?? d.latencyFloorMs
        pingErrorLatencyMs = try c.decodeIfPresent(Double.self, forKey: .pingErrorLatencyMs) ?? d.pingErrorLatencyMs
        refreshPeriodS = try c.decodeIfPresent(Double.self, forKey: .refreshPeriodS) ?? d.refreshPeriodS
        refreshCooldownS = try c.decodeIfPresent(Double.self, forKey: .refreshCooldownS) ?? d.refreshCooldownS
        periodComparison = try c.decodeIfPresent(TimeComparison.self, forKey: .periodComparison) ?? d.periodComparison
        missingNodeFallback = try c.decodeIfPresent(MissingNodeFallback.self, forKey: .missingNodeFallback) ?? d.missingNodeFallback
        responseFeedback = try c.decodeIfPresent(Bool.self, forKey: .responseFeedback) ?? d.responseFeedback
        nCounts = try c.decodeIfPresent(NCounts.self, forKey: .nCounts) ?? d.nCounts
        try validate(codingPath: decoder.codingPath)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("proxymity", forKey: .kind)
        try c.encode(alpha, forKey: .alpha); try c.encode(temperatureMs, forKey: .temperatureMs)
        try c.encode(latencyFloorMs, forKey: .latencyFloorMs); try c.encode(pingErrorLatencyMs, forKey: .pingErrorLatencyMs)
        try c.encode(refreshPeriodS, forKey: .refreshPeriodS); try c.encode(refreshCooldownS, forKey: .refreshCooldownS)
        try c.encode(periodComparison, forKey: .periodComparison); try c.encode(missingNodeFallback, forKey: .missingNodeFallback)
        try c.encode(responseFeedback, forKey: .responseFeedback); try c.encode(nCounts, forKey: .nCounts)
    }

    func validate(codingPath: [CodingKey]) throws {
        try FieldCheck.unit(alpha, "alpha", codingPath)
        try FieldCheck.positive(temperatureMs, "temperature_ms", codingPath)
        try FieldCheck.nonNegative(latencyFloorMs, "latency_floor_ms", codingPath)
        try FieldCheck.nonNegative(pingErrorLatencyMs, "ping_error_latency_ms", codingPath)
        try FieldCheck.nonNegative(refreshPeriodS, "refresh_period_s", codingPath)
        try FieldCheck.nonNegative(refreshCooldownS, "refresh_cooldown_s", codingPath)
        if responseFeedback {
            throw FieldError.invalid(path: FieldPath.string(codingPath, "response_feedback"),
                                     reason: "true is not supported: the evaluated proxy-mity has no response-time feedback")
        }
    }
}
