/// A reported or expected result of one algorithm on one scenario case: the mean response
/// (ms) and the success fraction over the whole run.
public struct ResultPoint: Hashable, Sendable, Codable {
    /// Mean response (ms).
    public var meanMs: Double
    /// Success fraction in [0, 1].
    public var success: Double
    /// Standard deviation of the per-seed means (ms), when known.
    public var meanSdAcrossSeedsMs: Double?

    /// Creates a result point.
    public init(meanMs: Double, success: Double, meanSdAcrossSeedsMs: Double? = nil) {
        self.meanMs = meanMs
        self.success = success
        self.meanSdAcrossSeedsMs = meanSdAcrossSeedsMs
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case success, meanMs = "mean_ms", meanSdAcrossSeedsMs = "mean_sd_across_seeds_ms"
    }
}
