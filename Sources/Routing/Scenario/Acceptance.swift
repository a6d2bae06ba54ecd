/// The scenario file's `acceptance` section: tolerances per scenario case against the published
/// results, and orderings the dynamic results must show.
public struct Acceptance: Hashable, Sendable {
    /// Tolerance of one case.
    public struct Tolerance: Hashable, Sendable, Codable {
        /// |simulated mean − published mean| bound (ms).
        public var meanAbsMs: Double
        /// |simulated success − published success| bound (fraction).
        public var successAbs: Double
        /// Algorithms not checked in this case.
        public var exclude: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case exclude, meanAbsMs = "mean_abs_ms", successAbs = "success_abs"
        }
    }

    /// Orderings of one scenario's results.
    public struct Orderings: Hashable, Sendable, Codable {
        /// Algorithms by strictly decreasing success.
        public var successDescending: [String]?
        /// Algorithms by strictly increasing mean.
        public var meanAscending: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case successDescending = "success_descending", meanAscending = "mean_ascending"
        }
    }

    /// Tolerances by case key (`static`, `dynamic_default`, ...), in file order.
    public var tolerances: OrderedMap<Tolerance>
    /// Orderings by scenario name (file key `<scenario>_orderings`).
    public var orderings: OrderedMap<Orderings>
}

extension Acceptance: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        tolerances = OrderedMap()
        orderings = OrderedMap()
        for key in c.allKeys {
            if key.stringValue.hasSuffix("_orderings") {
                orderings[String(key.stringValue.dropLast("_orderings".count))] = try c.decode(Orderings.self, forKey: key)
            } else {
                tolerances[key.stringValue] = try c.decode(Tolerance.self, forKey: key)
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for (k, v) in tolerances.entries { try c.encode(v, forKey: AnyKey(k)) }
        for (k, v) in orderings.entries { try c.encode(v, forKey: AnyKey(k + "_orderings")) }
    }
}
