/// QEdgeProxy's configuration (spec §3; the scenario's `algorithms.<name>` with
/// `kind: qedgeproxy`). Defaults are the manifest values with `RANDOM_MODE=true`, the
/// configuration that reproduces the published numbers.
public struct QEdgeProxyParameters: Hashable, Sendable, Codable {
    /// Where the latency state lives.
    public enum StateKey: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// Per node, as the public code (`L[node][service]`).
        case node
        /// Per instance (pod).
        case instance
    }

    /// Service annotation `maxLatency` (whole ms); admission is `L < maxLatencyMs`; also the
    /// latency recorded for a failed ping.
    public var maxLatencyMs: Double = 80
    /// `LAT_WEIGHT` β: EWMA weight of a real sample.
    public var latWeight: Double = 0.3
    /// `LAT_APPR_WEIGHT`: weight of the first real sample after a ping approximation.
    public var latApprWeight: Double = 0.7
    /// `QOS_PERC`: a pass is triggered when |pool ∪ overloaded| / |healthy pods| < this.
    public var qosPerc: Double = 0.3
    /// `QOS_COOLDOWN_S`: minimum gap between approximation passes.
    public var qosCooldownS: Double = 60
    /// `REAL_DATA_VALID_S`: a real value older than this may be overwritten by a ping.
    public var realDataValidS: Double = 60
    /// `COOLDOWN_BASE_DURATION_S`: a node with `fails` transport errors is skipped for
    /// `base · fails` seconds.
    public var failureCooldownBaseS: Double = 60
    /// `PING_TIMEOUT_S`: a ping slower than this counts as an error.
    public var pingTimeoutS: Double = 60
    /// `PING_CACHE_TIME_S`: per-node ping cache lifetime.
    public var pingCacheS: Double = 60
    /// `RANDOM_MODE`: uniform in the pool (`true`) or minimum L (`false`).
    public var randomMode: Bool = true
    /// `MAX_RES_USAGE`: node overload bound (the simulator has no node metrics: never fires).
    public var maxResUsage: Double = 0.95
    /// How elapsed times are compared with `qosCooldownS` and `realDataValidS`.
    public var cooldownComparison: TimeComparison = .wholeSecondsStrictlyGreater
    /// Per-node (public code) or per-instance latency state.
    public var stateKey: StateKey = .node
    /// Whether samples and EWMA values are truncated to whole milliseconds (Go `int(...)`).
    public var integerMsTruncation: Bool = true

    /// The defaults (manifest values, random mode).
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case maxLatencyMs = "max_latency_ms", latWeight = "lat_weight", latApprWeight = "lat_appr_weight"
        case qosPerc = "qos_perc", qosCooldownS = "qos_cooldown_s", realDataValidS = "real_data_valid_s"
        case failureCooldownBaseS = "failure_cooldown_base_s", pingTimeoutS = "ping_timeout_s"
        case pingCacheS = "ping_cache_s", randomMode = "random_mode", maxResUsage = "max_res_usage"
        case cooldownComparison = "cooldown_comparison", stateKey = "state_key"
        case integerMsTruncation = "integer_ms_truncation"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = QEdgeProxyParameters()
        maxLatencyMs = try c.decodeIfPresent(Double.self, forKey: .maxLatencyMs) ?? d.maxLatencyMs
        latWeight = try c.decodeIfPresent(Double.self, forKey: .latWeight) ?? d.latWeight
        latApprWeight = try c.decodeIfPresent(Double.self, forKey: .latApprWeight) ?? d.latApprWeight
        qosPerc = try c.decodeIfPresent(Double.self, forKey: .qosPerc) ?? d.qosPerc
        qosCooldownS = try c.decodeIfPresent(Double.self, forKey: .qosCooldownS) ?? d.qosCooldownS
        realDataValidS = try c.decodeIfPresent(Double.self, forKey: .realDataValidS) ?? d.realDataValidS
        failureCooldownBaseS = try c.decodeIfPresent(Double.self, forKey: .failureCooldownBaseS) ?? d.failureCooldownBaseS
        pingTimeoutS = try c.decodeIfPresent(Double.self, forKey: .pingTimeoutS) ?? d.pingTimeoutS
        pingCacheS = try c.decodeIfPresent(Double.self, forKey: .pingCacheS) ?? d.pingCacheS
        randomMode = try c.decodeIfPresent(Bool.self, forKey: .randomMode) ?? d.randomMode
        maxResUsage = try c.decodeIfPresent(Double.self, forKey: .maxResUsage) ?? d.maxResUsage
        cooldownComparison = try c.decodeIfPresent(TimeComparison.self, forKey: .cooldownComparison) ?? d.cooldownComparison
        stateKey = try c.decodeIfPresent(StateKey.self, forKey: .stateKey) ?? d.stateKey
        integerMsTruncation = try c.decodeIfPresent(Bool.self, forKey: .integerMsTruncation) ?? d.integerMsTruncation
        try validate(codingPath: decoder.codingPath)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("qedgeproxy", forKey: .kind)
        try c.encode(maxLatencyMs, forKey: .maxLatencyMs); try c.encode(latWeight, forKey: .latWeight)
        try c.encode(latApprWeight, forKey: .latApprWeight); try c.encode(qosPerc, forKey: .qosPerc)
        try c.encode(qosCooldownS, forKey: .qosCooldownS); try c.encode(realDataValidS, forKey: .realDataValidS)
        try c.encode(failureCooldownBaseS, forKey: .failureCooldownBaseS); try c.encode(pingTimeoutS, forKey: .pingTimeoutS)
        try c.encode(pingCacheS, forKey: .pingCacheS); try c.encode(randomMode, forKey: .randomMode)
        try c.encode(maxResUsage, forKey: .maxResUsage); try c.encode(cooldownComparison, forKey: .cooldownComparison)
        try c.encode(stateKey, forKey: .stateKey); try c.encode(integerMsTruncation, forKey: .integerMsTruncation)
    }

    /// Throws ``FieldError`` naming the first out-of-range field.
    func validate(codingPath: [CodingKey]) throws {
        try FieldCheck.positive(maxLatencyMs, "max_latency_ms", codingPath)
        try FieldCheck.unit(latWeight, "lat_weight", codingPath)
        try FieldCheck.unit(latApprWeight, "lat_appr_weight", codingPath)
        try FieldCheck.unit(qosPerc, "qos_perc", codingPath)
        try FieldCheck.nonNegative(qosCooldownS, "qos_cooldown_s", codingPath)
        try FieldCheck.nonNegative(realDataValidS, "real_data_valid_s", codingPath)
        try FieldCheck.nonNegative(failureCooldownBaseS, "failure_cooldown_base_s", codingPath)
        try FieldCheck.positive(pingTimeoutS, "ping_timeout_s", codingPath)
        try FieldCheck.nonNegative(pingCacheS, "ping_cache_s", codingPath)
        try FieldCheck.unit(maxResUsage, "max_res_usage", codingPath)
    }
}
