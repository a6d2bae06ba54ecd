/// The scenario file's `project_targets` section (spec §8).
public struct ProjectTargets: Hashable, Sendable, Codable {
    /// Instances meeting the SLO: one list for a whole case, or one list per phase.
    public enum EligibleSet: Hashable, Sendable, Codable {
        case all([String])
        case byPhase([String: [String]])

        public init(from decoder: Decoder) throws {
            if let list = try? [String](from: decoder) { self = .all(list); return }
            self = .byPhase(try [String: [String]](from: decoder))
        }

        public func encode(to encoder: Encoder) throws {
            switch self {
            case .all(let l): try l.encode(to: encoder)
            case .byPhase(let m): try m.encode(to: encoder)
            }
        }
    }

    /// Minimum dynamic success fraction (both variants).
    public var dynamicSuccessMin: Double?
    /// Whether every instance meeting the SLO must carry load.
    public var serveEveryInstanceMeetingSlo: Bool?
    /// Minimum share of each eligible instance in the static scenario.
    public var minSharePerEligibleInstanceStatic: Double?
    /// Eligible instances by key (`static`, `dynamic`, `dynamic_calibrated_T4`).
    public var eligibleInstances: [String: EligibleSet]?
    /// An instance that misses must leave the pool within this many samples.
    public var evictWithinSamples: Int?
    /// Upstream connect timeout of the real proxy (s).
    public var upstreamConnectTimeoutS: Double?
    /// Upstream total timeout of the real proxy (s).
    public var upstreamTotalTimeoutS: Double?
    /// Retries allowed for a request that was not sent.
    public var maxRetriesUnsentRequest: Int?
    /// Memory bound per (service, instance).
    public var maxStateBytesPerInstance: Int?
    /// Bound on the samples kept per window.
    public var maxSamplesPerWindow: Int?
    /// Allowed RSS growth from 10^4 to 10^6 requests.
    public var rssGrowthMaxFraction1e4To1e6Requests: Double?
    /// Whether requests are logged by default.
    public var perRequestLoggingDefault: Bool?
    /// Path of the Prometheus endpoint.
    public var metricsEndpoint: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dynamicSuccessMin = "dynamic_success_min"
        case serveEveryInstanceMeetingSlo = "serve_every_instance_meeting_slo"
        case minSharePerEligibleInstanceStatic = "min_share_per_eligible_instance_static"
        case eligibleInstances = "eligible_instances"
        case evictWithinSamples = "evict_within_samples"
        case upstreamConnectTimeoutS = "upstream_connect_timeout_s"
        case upstreamTotalTimeoutS = "upstream_total_timeout_s"
        case maxRetriesUnsentRequest = "max_retries_unsent_request"
        case maxStateBytesPerInstance = "max_state_bytes_per_instance"
        case maxSamplesPerWindow = "max_samples_per_window"
        case rssGrowthMaxFraction1e4To1e6Requests = "rss_growth_max_fraction_1e4_to_1e6_requests"
        case perRequestLoggingDefault = "per_request_logging_default"
        case metricsEndpoint = "metrics_endpoint"
    }
}
