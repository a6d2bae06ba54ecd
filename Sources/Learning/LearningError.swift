/// Errors of the learning engine. Each names what was wrong and where, in one line.
public enum LearningError: Error, Equatable, CustomStringConvertible {
    /// Shapes that do not fit: `context` names the layer or tensor.
    case shapeMismatch(context: String, expected: String, found: String)
    /// A model specification that cannot be built.
    case invalidModel(String)
    /// A data file that cannot be read: the file, the byte offset (if known) and the problem.
    case invalidDataFile(path: String, offset: Int?, problem: String)
    /// A data set that is not where it is expected, with a hint for the user.
    case missingDataset(name: String, hint: String)
    /// A partitioning request that the data cannot satisfy.
    case invalidPartition(String)
    /// An invalid option or argument value.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(context, expected, found):
            return "\(context): shape mismatch: expected \(expected), found \(found)"
        case let .invalidModel(message):
            return "invalid model: \(message)"
        case let .invalidDataFile(path, offset, problem):
            if let offset { return "\(path): at byte offset \(offset): \(problem)" }
            return "\(path): \(problem)"
        case let .missingDataset(name, hint):
            return "data set \(name) not found: \(hint)"
        case let .invalidPartition(message):
            return "invalid partition: \(message)"
        case let .invalidArgument(message):
            return message
        }
    }
}
