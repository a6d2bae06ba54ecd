/// How the k classes of a client are chosen in the "k labels per client" partition
/// (``PartitionScheme/labelsPerClient(k:mode:)``), for client `i` of `M` and `C` classes.
public enum LabelAssignment: String, Sendable, Equatable, CaseIterable {
    /// Client `i` owns classes `(i + j) mod C` for `j < k` (overlapping windows).
    case deterministic
    /// Client `i` owns class `i mod C` plus `k − 1` other classes drawn at random without
    /// replacement (NIID-Bench's "#C=k").
    case firstDeterministic = "first"
    /// Client `i` owns `k` classes drawn at random without replacement (Flower's
    /// `PathologicalPartitioner` with `class_assignment_mode="random"`).
    case random
    /// Client `i` owns the block of adjacent classes `(i·k + j) mod C` for `j < k`: for `k = 2`
    /// the fixed pairs {0,1}, {2,3}, … of the anchor's `_flat_fair_2_classes`.
    case adjacent

    /// The name used in scheme strings (`labels:2:first`): the raw value.
    public var name: String { rawValue }

    /// Parses a mode name, accepting `first-deterministic` and `firstdeterministic` as well as
    /// `first`; `nil` when unknown.
    public init?(name: String) {
        switch name.lowercased() {
        case "deterministic": self = .deterministic
        case "first", "first-deterministic", "first_deterministic", "firstdeterministic":
            self = .firstDeterministic
        case "random": self = .random
        case "adjacent": self = .adjacent
        default: return nil
        }
    }
}
