import NIOHTTP1

/// Hop-by-hop header handling (RFC 9110 §7.6.1): the fields that describe one connection and must
/// not be forwarded, in either direction.
public enum HopByHopHeaders {
    /// The fixed hop-by-hop fields, lower-case. Fields named in `Connection` are removed as well.
    public static let names: [String] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Removes hop-by-hop fields and the fields listed in `Connection`.
    ///
    /// Scans once and mutates only when a hop-by-hop field is present (the common keep-alive
    /// request from a HTTP/1.1 client has none, so the headers are not copied).
    public static func strip(_ headers: inout HTTPHeaders) {
        var found = false
        var connectionTokens = false
        for (name, _) in headers {
            if let kind = classify(name) {
                found = true
                if kind == .connection { connectionTokens = true }
            }
        }
        guard found else { return }
        if connectionTokens {
            for value in headers[canonicalForm: "connection"] {
                let token = value.trimmedForProxy()
                if !token.isEmpty { headers.remove(name: token) }
            }
        }
        for name in names { headers.remove(name: name) }
    }

    private enum Kind { case connection, other }

    /// Classifies a field name without allocating (ASCII case-insensitive comparison).
    private static func classify(_ name: String) -> Kind? {
        var name = name
        return name.withUTF8 { bytes -> Kind? in
            switch bytes.count {
            case 2: return equal(bytes, "te") ? .other : nil
            case 7:
                if equal(bytes, "trailer") || equal(bytes, "upgrade") { return .other }
                return nil
            case 10:
                if equal(bytes, "connection") { return .connection }
                return equal(bytes, "keep-alive") ? .other : nil
            case 16: return equal(bytes, "proxy-connection") ? .other : nil
            case 17: return equal(bytes, "transfer-encoding") ? .other : nil
            default: return nil
            }
        }
    }

    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let other = lowercase.utf8Start
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != other[index] { return false }
        }
        return true
    }
}
