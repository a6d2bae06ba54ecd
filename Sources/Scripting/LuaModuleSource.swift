#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Source text of a module returned by a ``LuaSandbox/moduleResolver``.
public struct LuaModuleSource: Sendable, Hashable {
    /// Lua source text (bytecode is refused).
    public var source: String
    /// Name used in messages and tracebacks (`name:LINE:`), typically a file name.
    public var chunkName: String

    /// Creates a module source.
    public init(source: String, chunkName: String) {
        self.source = source
        self.chunkName = chunkName
    }

    /// A resolver serving modules from a dictionary `name → source`; chunk names are `name.lua`.
    public static func resolver(modules: [String: String]) -> (String) throws -> LuaModuleSource? {
        { name in modules[name].map { LuaModuleSource(source: $0, chunkName: "\(name).lua") } }
    }

    /// A resolver reading `root/a/b.lua` for `require("a.b")`. Names must be dot-separated
    /// identifiers, so a script cannot escape `root`. The file is read by Swift, not by Lua.
    public static func resolver(directory root: String) -> (String) throws -> LuaModuleSource? {
        { name in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            let valid = !parts.isEmpty && parts.allSatisfy { part in
                guard let first = part.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
                return part.utf8.allSatisfy { c in
                    c == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c)
                        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                }
            }
            guard valid else { return nil }
            let relative = parts.joined(separator: "/") + ".lua"
            guard let bytes = try readFile(atPath: root + "/" + relative, missingIsNil: true) else { return nil }
            return LuaModuleSource(source: String(decoding: bytes, as: UTF8.self), chunkName: relative)
        }
    }
}

/// Reads a whole file; `nil` when it does not exist and `missingIsNil` is set.
func readFile(atPath path: String, missingIsNil: Bool = false) throws -> [UInt8]? {
    guard let file = fopen(path, "rb") else {
        let code = errno
        if missingIsNil && code == ENOENT { return nil }
        throw LuaError(kind: .hostError, message: "cannot open \(path): \(String(cString: strerror(code)))")
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        bytes.append(contentsOf: chunk[0..<n])
        if n < chunk.count { break }
    }
    if ferror(file) != 0 { throw LuaError(kind: .hostError, message: "cannot read \(path)") }
    return bytes
}
