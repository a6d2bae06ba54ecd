/// The scenario's `workload` section: arrivals and seeds.
public struct Workload: Hashable, Sendable, Codable {
    /// Arrival process.
    public enum Arrival: String, Hashable, Sendable, Codable, CaseIterable, SchemaEnum {
        /// Poisson arrivals, open loop.
        case poisson
    }
    /// HTTP method (informative).
    public var method: String
    /// Request body size (informative).
    public var bodyBytes: Int
    /// The arrival process.
    public var arrival: Arrival
    /// Arrival rate (requests per second).
    public var ratePerS: Double
    /// Number of seeds a reported result averages over.
    public var seeds: Int
    /// The first seed; seeds are `firstSeed ..< firstSeed + seeds`.
    public var firstSeed: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case method, arrival, seeds
        case bodyBytes = "body_bytes", ratePerS = "rate_per_s", firstSeed = "first_seed"
    }

    /// The seeds to average over.
    public var seedRange: [UInt64] { (0..<max(seeds, 0)).map { UInt64(firstSeed + $0) } }
}
