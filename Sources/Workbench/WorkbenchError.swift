/// Errors of the workbench layer (scripts, plugins, results), one line each.
public enum WorkbenchError: Error, Equatable, CustomStringConvertible {
    /// A file, option or value that is not what was expected.
    case invalidInput(String)
    /// A plugin that does not exist: the message lists the available ones.
    case unknownPlugin(String)
    /// A script or plugin failed; the message carries `file:line:`.
    case scriptFailed(String)
    /// A path outside what scripts may touch.
    case accessDenied(String)

    public var description: String {
        switch self {
        case let .invalidInput(m), let .unknownPlugin(m), let .scriptFailed(m), let .accessDenied(m): return m
        }
    }
}
