/// The scenario's `latency_model` section (spec §7.2):
/// `resp = c + o + [cold]·(r_n+h) + (r_n+h) + q_i + s_i + [n≠proxy]·x + j`.
public struct LatencyModel: Hashable, Sendable, Codable {
    /// Queue discipline of an instance.
    public enum Queue: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// One server per instance, first in first out; waiting adds to the response.
        case fifoSingleServer = "fifo_single_server"
    }

    /// What a proxy records as a latency sample.
    public enum MeasuredSample: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// Response minus the client hop and the proxy's own overhead (time to headers).
        case responseMinusProxyOverhead = "response_minus_proxy_overhead"
        /// The response time itself.
        case response
    }

    /// Connection set-up costs.
    public struct NewConnection: Hashable, Sendable, Codable {
        /// Which connections pay the handshake.
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
            case proxyToPod = "proxy_to_pod"
            case proxyToNodePing = "proxy_to_node_ping"
        }
        /// Extra round trips of a new connection (each `rtt + pod hop` for a pod).
        public var extraRoundTrips: Double
        /// A connection idle longer than this is closed (s).
        public var idleTimeoutS: Double
        /// Connection kinds the model applies to.
        public var appliesTo: [Kind]
        enum CodingKeys: String, CodingKey, CaseIterable {
            case extraRoundTrips = "extra_round_trips", idleTimeoutS = "idle_timeout_s", appliesTo = "applies_to"
        }
    }

    /// Per-response jitter.
    public struct Jitter: Hashable, Sendable, Codable {
        /// Distribution of the jitter.
        public enum Distribution: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum { case normal }
        /// Distribution of the jitter (normal).
        public var distribution: Distribution
        /// Mean of the jitter (ms).
        public var meanMs: Double
        /// Standard deviation σ of the jitter (ms).
        public var sigmaMs: Double
        /// Truncation at ±this many σ (rejection sampling).
        public var truncateAtSigmas: Double
        enum CodingKeys: String, CodingKey, CaseIterable {
            case distribution, meanMs = "mean_ms", sigmaMs = "sigma_ms", truncateAtSigmas = "truncate_at_sigmas"
        }
    }

    /// The node-to-node ping (HTTP GET to the proxy on the target node).
    public struct Ping: Hashable, Sendable, Codable {
        /// Distribution of the ping noise.
        public enum Noise: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum { case absNormal = "abs_normal" }
        /// How a ping duration is reported.
        public enum Rounding: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
            case floorWholeMs = "floor_whole_ms"
        }
        /// Fixed cost of a ping beyond the round trips (ms).
        public var overheadMs: Double
        /// Noise distribution (|N(0, σ)|).
        public var noise: Noise
        /// σ of the ping noise (ms).
        public var noiseSigmaMs: Double
        /// Round trips of a ping on a warm connection.
        public var roundTripsWarm: Double
        /// Round trips of a ping on a new connection.
        public var roundTripsCold: Double
        /// Rounding of the reported value.
        public var rounding: Rounding
        enum CodingKeys: String, CodingKey, CaseIterable {
            case noise, rounding
            case overheadMs = "overhead_ms", noiseSigmaMs = "noise_sigma_ms"
            case roundTripsWarm = "round_trips_warm", roundTripsCold = "round_trips_cold"
        }
    }

    /// The NodePort path (proxy bypassed).
    public struct NodePort: Hashable, Sendable, Codable {
        /// How kube-proxy picks a backend.
        public enum Selection: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
            case uniformRandomPerRequest = "uniform_random_per_request"
        }
        /// Backend selection (uniform per request).
        public var selection: Selection
        /// Added to the warm proxied response of the chosen instance (ms).
        public var extraMs: Double
        /// Whether the connection cost is part of `extraMs` (must be `true`: no cold handshake).
        public var connectionCostIncludedInExtra: Bool
        enum CodingKeys: String, CodingKey, CaseIterable {
            case selection, extraMs = "extra_ms", connectionCostIncludedInExtra = "connection_cost_included_in_extra"
        }
    }

    /// h: node → pod hop, paid on every request (ms).
    public var podHopRttMs: Double
    /// o: proxy processing per request (ms).
    public var proxyOverheadMs: Double
    /// x: extra cost for a pod on another node (ms).
    public var crossNodeOverheadMs: Double
    /// Queue discipline of every instance.
    public var queue: Queue
    /// Connection set-up costs and idle timeout.
    public var newConnection: NewConnection
    /// Per-response jitter j.
    public var jitter: Jitter
    /// Lower bound of a response (ms).
    public var minResponseMs: Double
    /// What the proxy records as a sample (``RequestMeasurement/upstreamMs``).
    public var measuredSample: MeasuredSample
    /// The node-to-node ping model.
    public var ping: Ping
    /// The NodePort path.
    public var nodeport: NodePort

    enum CodingKeys: String, CodingKey, CaseIterable {
        case queue, jitter, ping, nodeport
        case podHopRttMs = "pod_hop_rtt_ms", proxyOverheadMs = "proxy_overhead_ms"
        case crossNodeOverheadMs = "cross_node_overhead_ms", newConnection = "new_connection"
        case minResponseMs = "min_response_ms", measuredSample = "measured_sample"
    }
}
