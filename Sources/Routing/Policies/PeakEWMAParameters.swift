/// Peak-EWMA + P2C configuration (spec §6.1; `kind: peak_ewma_p2c`). Defaults are linkerd2-proxy's
/// (default RTT 30 ms, decay 10 s) with Finagle's `maxEffort` 5.
public struct PeakEWMAParameters: Hashable, Sendable, Codable {
    /// Decay time constant τ_d of the cost, in seconds.
    public var decayS: Double = 10
    /// Initial cost of a new endpoint (ms).
    public var defaultRttMs: Double = 30
    /// Attempts to find a healthy endpoint with P2C before settling for the last pick.
    public var maxEffort: Int = 5
    /// An endpoint is unhealthy for this long after a transport error (assumption: the simple
    /// stand-in for failure accrual).
    public var failureBackoffS: Double = 5

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case decayS = "decay_s", defaultRttMs = "default_rtt_ms", maxEffort = "max_effort"
        case failureBackoffS = "failure_backoff_s"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PeakEWMAParameters()
        decayS = try c.decodeIfPresent(Double.self, forKey: .decayS) ?? d.decayS
        defaultRttMs = try c.decodeIfPresent(Double.self, forKey: .defaultRttMs) ?? d.defaultRttMs
        maxEffort = try c.decodeIfPresent(Int.self, forKey: .maxEffort) ?? d.maxEffort
        failureBackoffS = try c.decodeIfPresent(Double.self, forKey: .failureBackoffS) ?? d.failureBackoffS
        try FieldCheck.positive(decayS, "decay_s", decoder.codingPath)
        try FieldCheck.nonNegative(defaultRttMs, "default_rtt_ms", decoder.codingPath)
        try FieldCheck.positive(Double(maxEffort), "max_effort", decoder.codingPath)
        try FieldCheck.nonNegative(failureBackoffS, "failure_backoff_s", decoder.codingPath)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("peak_ewma_p2c", forKey: .kind)
        try c.encode(decayS, forKey: .decayS); try c.encode(defaultRttMs, forKey: .defaultRttMs)
        try c.encode(maxEffort, forKey: .maxEffort); try c.encode(failureBackoffS, forKey: .failureBackoffS)
    }
}
