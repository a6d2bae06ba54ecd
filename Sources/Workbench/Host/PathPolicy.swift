import Foundation

/// Which files a script may read or write: only below the working directory or directories
/// named on the command line (the script's folder, `--out`, `--plugins`, `--allow`).
public struct PathPolicy: Sendable {
    /// Absolute, standardised allowed roots.
    public private(set) var roots: [String]

    /// A policy allowing `roots` (relative ones are taken from the working directory).
    public init(roots: [String]) {
        self.roots = []
        for r in roots { allow(r) }
    }

    /// Adds a root.
    public mutating func allow(_ root: String) {
        let r = Self.absolute(root)
        if !roots.contains(r) { roots.append(r) }
    }

    /// The absolute, standardised form of `path` (symbolic links resolved where they exist).
    public static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: base).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The absolute path if `path` lies below an allowed root; else an error naming it.
    public func check(_ path: String, for purpose: String) throws -> String {
        let p = Self.absolute(path)
        if roots.contains(where: { p == $0 || p.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) { return p }
        throw WorkbenchError.accessDenied("\(purpose): '\(path)' is outside the working directory and the paths named on the command line (allow it with --allow DIR)")
    }
}
