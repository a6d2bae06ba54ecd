/// An entry of a group listing.
public struct H5Child: Hashable, Sendable {
    /// What the link points at.
    public enum Kind: Hashable, Sendable {
        /// A group.
        case group
        /// A dataset with its shape (`[]` for scalar) and element type.
        case dataset(shape: [Int], type: H5ElementType)
        /// A committed datatype or anything else.
        case other
    }

    /// The link name inside its group.
    public let name: String
    /// What it is.
    public let kind: Kind

    /// A listing entry.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
