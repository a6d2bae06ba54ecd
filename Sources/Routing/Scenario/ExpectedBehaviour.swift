/// The scenario file's `expected_behaviour` section (spec §7.4): shares and pools the baselines
/// must show, beyond their averages.
public struct ExpectedBehaviour: Hashable, Sendable, Codable {
    /// QEdgeProxy's expected pools.
    public struct QEdgeProxy: Hashable, Sendable, Codable {
        public var staticFinalPool: [String]?
        public var staticConvergedByS: Double?
        public var staticRequestsToS6Max: Int?
        public var dynamicPools: [String: [String]]?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case staticFinalPool = "static_final_pool", staticConvergedByS = "static_converged_by_s"
            case staticRequestsToS6Max = "static_requests_to_s6_max", dynamicPools = "dynamic_pools"
        }
    }

    /// proxy-mity's expected favourites and shares.
    public struct Proxymity: Hashable, Sendable, Codable {
        public var nearestByPhase: [String: String]?
        /// Share of each non-nearest instance for α = 0.8, by `n<count>`.
        public var alpha08OtherShare: [String: Double]?
        public var reactionDelayRequestsMax: Int?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case nearestByPhase = "nearest_by_phase", alpha08OtherShare = "alpha_0_8_other_share"
            case reactionDelayRequestsMax = "reaction_delay_requests_max"
        }
    }

    /// NodePort's expected share.
    public struct NodePort: Hashable, Sendable, Codable {
        public var share: String?
    }

    /// Mean warm proxied response per instance (ms), R(i).
    public var warmProxiedResponseMs: [String: Double]?
    public var qedgeproxy: QEdgeProxy?
    public var proxymity: Proxymity?
    public var nodeport: NodePort?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case qedgeproxy, proxymity, nodeport, warmProxiedResponseMs = "warm_proxied_response_ms"
    }
}
