/// How a request names its service.
public enum ProxyServiceNameResolution: Equatable, Sendable {
    /// The service to route to.
    case service(String)
    /// The `Host` is an IP literal and there is no `X-Service` header: answered with `400`.
    case ipHost(String)
    /// Neither `X-Service` nor `Host`: answered with `400`.
    case missing
    /// The `Host` has no usable first label (for example `.example` or `:80`): answered with `400`.
    case invalidHost(String)
}

/// The naming rule (spec §8 item 3): an explicit `X-Service` header wins, else the first
/// dot-label of a non-IP `Host` with the port stripped, lower-cased.
///
/// `dps.default.svc:8080` → `dps`; `dps:8080` → `dps`; `10.0.0.5:30090` and `[::1]:9090` are IP
/// hosts (→ 400 without `X-Service`). For an absolute-form request target
/// (`GET http://dps.ns/path`) the target's authority is used instead of `Host`.
public enum ProxyServiceName {
    /// The header that names the service explicitly.
    public static let headerName = "X-Service"

    /// Resolves the service from the `X-Service` and `Host` header values.
    public static func resolve(serviceHeader: String?, host: String?) -> ProxyServiceNameResolution {
        if let header = serviceHeader {
            let trimmed = header.trimmedForProxy()
            if !trimmed.isEmpty { return .service(trimmed) }
        }
        guard let rawHost = host?.trimmedForProxy(), !rawHost.isEmpty else { return .missing }
        if rawHost.hasPrefix("[") { return .ipHost(rawHost) }  // IPv6 literal
        var name = Substring(rawHost)
        if let colon = name.lastIndex(of: ":") {
            if name[..<colon].contains(":") { return .ipHost(rawHost) }  // bare IPv6
            name = name[..<colon]
        }
        if name.hasSuffix(".") { name = name.dropLast() }  // fully qualified "a.b."
        if isIPv4Like(name) { return .ipHost(rawHost) }
        let label = name.prefix { $0 != "." }
        guard !label.isEmpty else { return .invalidHost(rawHost) }
        return .service(label.lowercased())
    }

    /// Extracts the authority of an absolute-form request target (`http://host:port/path`), or `nil`.
    public static func authority(ofAbsoluteURI uri: String) -> Substring? {
        guard let schemeEnd = schemeSeparator(in: uri) else { return nil }
        let scheme = uri[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, !scheme.contains("/") else { return nil }
        let rest = uri[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        if let at = authority.lastIndex(of: "@") { return authority[authority.index(after: at)...] }
        return authority
    }

    /// The origin-form (`/path?query`) of an absolute-form request target; other targets unchanged.
    public static func originForm(of uri: String) -> String {
        guard !uri.hasPrefix("/"), let schemeEnd = schemeSeparator(in: uri) else { return uri }
        let rest = uri[schemeEnd.upperBound...]
        guard let start = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let path = rest[start...]
        return path.hasPrefix("?") ? "/" + path : String(path)
    }

    /// The range of the first `://`.
    private static func schemeSeparator(in uri: String) -> Range<String.Index>? {
        var index = uri.startIndex
        while let colon = uri[index...].firstIndex(of: ":") {
            let after = uri.index(after: colon)
            if uri[after...].hasPrefix("//") { return colon..<uri.index(after, offsetBy: 2) }
            index = after
        }
        return nil
    }

    /// All digits and dots (what `inet_aton` would accept, including `10` and `10.1`).
    private static func isIPv4Like(_ host: Substring) -> Bool {
        var sawDigit = false
        for byte in host.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."): continue
            default: return false
            }
        }
        return sawDigit
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmedForProxy() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = self.lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
