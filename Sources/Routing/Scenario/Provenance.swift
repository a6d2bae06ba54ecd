/// The scenario file's `provenance` section: which parameters come from where.
public struct Provenance: Hashable, Sendable, Codable {
    /// Stated in the deliverable text.
    public var deliverable: [String]?
    /// Behaviour of the public code.
    public var code: [String]?
    /// Forced by the published table.
    public var table: [String]?
    /// Chosen to satisfy the constraints.
    public var assumption: [String]?
}
