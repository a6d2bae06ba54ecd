/// A routing-share clause of a QoS requirement (spec §1):
/// `Σ_{i: attribute_i comparator threshold} w_i ≥ minimumShare`.
///
/// Example: "80% of requests served by instances with accuracy > 0.95" is
/// `ShareClause(attribute: "accuracy", comparator: .greaterThan, threshold: 0.95, minimumShare: 0.8)`.
/// The clause constrains the load-balancing weights, not pool membership.
public struct ShareClause: Hashable, Sendable, Codable {
    /// Name of the instance attribute (a key of ``Instance/attributes``).
    public var attribute: String
    /// How the attribute is compared with `threshold`.
    public var comparator: Comparator
    /// The attribute threshold.
    public var threshold: Double
    /// Minimum total weight (fraction of requests, in [0, 1]) the matching instances must receive.
    public var minimumShare: Double

    /// Creates a share clause.
    public init(attribute: String, comparator: Comparator, threshold: Double, minimumShare: Double) {
        self.attribute = attribute
        self.comparator = comparator
        self.threshold = threshold
        self.minimumShare = minimumShare
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case attribute, comparator, threshold, minimumShare = "minimum_share"
    }

    /// Whether `instance` satisfies the attribute condition (a missing attribute never does).
    public func matches(_ instance: Instance) -> Bool {
        guard let value = instance.attributes[attribute] else { return false }
        return comparator.holds(value, threshold)
    }
}
