/// Configuration of aiotwin's SLO-aware balancer (spec §5; `kind: slo_aware`). Every default
/// is the spec's assumption [A] unless noted.
public struct SLOAwareParameters: Hashable, Sendable, Codable {
    /// Per-instance admission threshold ρ_inst on p_i; `nil` = the requirement's ρ.
    public var rhoInstance: Double?
    /// Half-life of the time-decayed success and miss counts (s).
    public var halfLifeS: Double = 30
    /// Weight of the prior, in pseudo-requests.
    public var priorWeight: Double = 2
    /// The prior mean is `1[warm RTT_i + ŝ ≤ priorMargin · τ]`.
    public var priorMargin: Double = 0.9
    /// ŝ before any instance of the service has answered (ms).
    public var defaultServiceMs: Double = 10
    /// A suspended instance is retried after `suspendBaseS · 2^(k−1)` seconds...
    public var suspendBaseS: Double = 30
    /// ... capped at this.
    public var suspendCapS: Double = 300
    /// Period of the ping passes that keep the warm-RTT estimates current (s) (aiotwin choice).
    public var pingIntervalS: Double = 60
    /// Probe tokens the exploration budget may hold (aiotwin choice); tokens accrue at
    /// `(1−ρ)/2` per routed request and a probe that misses spends one.
    public var explorationBurst: Double = 3
    /// Whether the host should keep warm upstream connections to every instance (spec §8).
    public var warmConnections: Bool = true

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case rhoInstance = "rho_instance", halfLifeS = "half_life_s", priorWeight = "prior_weight"
        case priorMargin = "prior_margin", defaultServiceMs = "default_service_ms"
        case suspendBaseS = "suspend_base_s", suspendCapS = "suspend_cap_s"
        case pingIntervalS = "ping_interval_s", explorationBurst = "exploration_burst"
        case warmConnections = "warm_connections"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SLOAwareParameters()
        rhoInstance = try c.decodeIfPresent(Double.self, forKey: .rhoInstance)
        halfLifeS = try c.decodeIfPresent(Double.self, forKey: .halfLifeS) ?? d.halfLifeS
        priorWeight = try c.decodeIfPresent(Double.self, forKey: .priorWeight) ?? d.priorWeight
        priorMargin = try c.decodeIfPresent(Double.self, forKey: .priorMargin) ?? d.priorMargin
        defaultServiceMs = try c.decodeIfPresent(Double.self, forKey: .defaultServiceMs) ?? d.defaultServiceMs
        suspendBaseS = try c.decodeIfPresent(Double.self, forKey: .suspendBaseS) ?? d.suspendBaseS
        suspendCapS = try c.decodeIfPresent(Double.self, forKey: .suspendCapS) ?? d.suspendCapS
        pingIntervalS = try c.decodeIfPresent(Double.self, forKey: .pingIntervalS) ?? d.pingIntervalS
        explorationBurst = try c.decodeIfPresent(Double.self, forKey: .explorationBurst) ?? d.explorationBurst
        warmConnections = try c.decodeIfPresent(Bool.self, forKey: .warmConnections) ?? d.warmConnections
        let p = decoder.codingPath
        if let r = rhoInstance { try FieldCheck.unit(r, "rho_instance", p) }
        try FieldCheck.positive(halfLifeS, "half_life_s", p)
        try FieldCheck.nonNegative(priorWeight, "prior_weight", p)
        try FieldCheck.positive(priorMargin, "prior_margin", p)
        try FieldCheck.nonNegative(defaultServiceMs, "default_service_ms", p)
        try FieldCheck.positive(suspendBaseS, "suspend_base_s", p)
        try FieldCheck.positive(suspendCapS, "suspend_cap_s", p)
        try FieldCheck.positive(pingIntervalS, "ping_interval_s", p)
        try FieldCheck.positive(explorationBurst, "exploration_burst", p)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("slo_aware", forKey: .kind)
        try c.encodeIfPresent(rhoInstance, forKey: .rhoInstance)
        try c.encode(halfLifeS, forKey: .halfLifeS); try c.encode(priorWeight, forKey: .priorWeight)
        try c.encode(priorMargin, forKey: .priorMargin); try c.encode(defaultServiceMs, forKey: .defaultServiceMs)
        try c.encode(suspendBaseS, forKey: .suspendBaseS); try c.encode(suspendCapS, forKey: .suspendCapS)
        try c.encode(pingIntervalS, forKey: .pingIntervalS); try c.encode(explorationBurst, forKey: .explorationBurst)
        try c.encode(warmConnections, forKey: .warmConnections)
    }
}
