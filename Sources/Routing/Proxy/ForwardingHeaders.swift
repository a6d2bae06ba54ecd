import NIOCore
import NIOHTTP1

/// The header fields the proxy acts on, recognised without allocating (ASCII case-insensitive).
enum ProxyHeaderField {
    case xService, host, contentLength, transferEncoding, expect
    case connection, otherHopByHop  // keep-alive, proxy-connection, te, trailer, upgrade
    case xForwardedFor, xForwardedHost, xForwardedProto
    case other

    @inline(__always)
    static func classify(_ name: String) -> ProxyHeaderField {
        var name = name
        return name.withUTF8 { bytes -> ProxyHeaderField in
            let equal = HopByHopHeaders.equal
            switch bytes.count {
            case 2: return equal(bytes, "te") ? .otherHopByHop : .other
            case 4: return equal(bytes, "host") ? .host : .other
            case 6: return equal(bytes, "expect") ? .expect : .other
            case 7: return equal(bytes, "trailer") || equal(bytes, "upgrade") ? .otherHopByHop : .other
            case 9: return equal(bytes, "x-service") ? .xService : .other
            case 10:
                if equal(bytes, "connection") { return .connection }
                return equal(bytes, "keep-alive") ? .otherHopByHop : .other
            case 14: return equal(bytes, "content-length") ? .contentLength : .other
            case 15: return equal(bytes, "x-forwarded-for") ? .xForwardedFor : .other
            case 16:
                if equal(bytes, "proxy-connection") { return .otherHopByHop }
                return equal(bytes, "x-forwarded-host") ? .xForwardedHost : .other
            case 17:
                if equal(bytes, "transfer-encoding") { return .transferEncoding }
                return equal(bytes, "x-forwarded-proto") ? .xForwardedProto : .other
            default: return .other
            }
        }
    }
}

/// What the proxy needs from a request head, gathered in a single pass over its fields.
struct ProxyRequestFacts {
    var service: String?
    var host: String?
    var contentLength: String?
    var chunked = false
    var expectContinue = false
    /// A `Connection` value lists field names (anything but `keep-alive`/`close`): those fields
    /// are hop-by-hop too.
    var connectionListsFields = false

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            switch ProxyHeaderField.classify(name) {
            case .xService: if service == nil { service = value }
            case .host: if host == nil { host = value }
            case .contentLength: contentLength = value
            case .transferEncoding: chunked = true
            case .expect: expectContinue = expectContinue || value.lowercased() == "100-continue"
            case .connection: if !connectionListsFields { connectionListsFields = listsFields(value) }
            default: break
            }
        }
    }
}

/// Whether a `Connection` value names fields beyond the `keep-alive` and `close` options.
private func listsFields(_ value: String) -> Bool {
    for token in value.split(separator: ",") {
        let trimmed = token.trimmedForProxy().lowercased()
        if !trimmed.isEmpty && trimmed != "keep-alive" && trimmed != "close" { return true }
    }
    return false
}

/// The lower-cased field names a set of `Connection` values lists.
private func listedFields(_ headers: HTTPHeaders) -> Set<String> {
    var listed = Set<String>()
    for value in headers[canonicalForm: "connection"] {
        let token = value.trimmedForProxy().lowercased()
        if !token.isEmpty { listed.insert(token) }
    }
    return listed
}

/// Building the heads the proxy sends on: hop-by-hop fields dropped (RFC 9110 §7.6.1), framing
/// re-established, forwarding fields added.
enum ForwardingHeaders {
    /// The request head for the upstream, serialised: HTTP/1.1, end-to-end fields in their order, then
    /// `Transfer-Encoding: chunked` if the client's body was chunked, `X-Forwarded-For` (the
    /// client's list plus the client address), `X-Forwarded-Host` (the original Host) and
    /// `X-Forwarded-Proto: http`. `Expect` is dropped: the proxy answers `100 Continue` itself.
    /// A request without `Host` (HTTP/1.0, or absolute-form) gets `Host: host ?? fallbackHost`.
    static func upstreamRequest(_ head: HTTPRequestHead, facts: ProxyRequestFacts, clientIP: String,
                                uri: String, host: String?, fallbackHost: String,
                                allocator: ByteBufferAllocator) -> ByteBuffer {
        let listed = facts.connectionListsFields ? listedFields(head.headers) : nil
        var fields: [(String, String)] = []
        fields.reserveCapacity(head.headers.count + 4)
        var forwardedFor: String?
        var hasHost = false
        for (name, value) in head.headers {
            switch ProxyHeaderField.classify(name) {
            case .connection, .otherHopByHop, .transferEncoding, .expect, .xForwardedHost, .xForwardedProto:
                continue
            case .xForwardedFor:
                forwardedFor = forwardedFor.map { $0 + ", " + value } ?? value
                continue
            case .host:
                hasHost = true
            default:
                if let listed, listed.contains(name.lowercased()) { continue }
            }
            fields.append((name, value))
        }
        if !hasHost { fields.append(("Host", host ?? fallbackHost)) }
        if facts.chunked { fields.append(("Transfer-Encoding", "chunked")) }
        fields.append(("X-Forwarded-For", forwardedFor.map { $0 + ", " + clientIP } ?? clientIP))
        if let host { fields.append(("X-Forwarded-Host", host)) }
        fields.append(("X-Forwarded-Proto", "http"))
        return HTTPMessageWriter.requestHead(method: head.method, uri: uri, fields: fields, allocator: allocator)
    }

    /// How a response body is framed towards the client.
    enum ResponseFraming {
        /// `Content-Length`, or no body at all (HEAD, 1xx, 204, 304).
        case asIs
        /// Re-chunked (upstream sent chunked or close-delimited, client speaks HTTP/1.1).
        case chunked
        /// Close-delimited (HTTP/1.0 client, no length): the connection closes after the body.
        case untilClose
    }

    /// The response head for the client, and its framing. Returns the upstream head unchanged (no
    /// copy) in the common case: no hop-by-hop fields, `Content-Length` framing, same version,
    /// keep-alive.
    static func clientResponse(_ head: HTTPResponseHead, clientVersion: HTTPVersion, noBody: Bool,
                               forceClose: Bool) -> (HTTPResponseHead, ResponseFraming) {
        var hopByHop = false
        var connectionListsFields = false
        var hasLength = false
        for (name, value) in head.headers {
            switch ProxyHeaderField.classify(name) {
            case .contentLength: hasLength = true
            case .connection:
                hopByHop = true
                if !connectionListsFields { connectionListsFields = listsFields(value) }
            case .otherHopByHop, .transferEncoding: hopByHop = true
            default: break
            }
        }
        let framing: ResponseFraming
        if noBody || hasLength {
            framing = .asIs
        } else {
            framing = clientVersion == .http1_1 ? .chunked : .untilClose
        }
        let close = forceClose || framing == .untilClose
        let keepAliveHeader = !close && clientVersion == .http1_0
        if !hopByHop && !close && !keepAliveHeader && framing == .asIs && head.version == clientVersion {
            return (head, framing)
        }
        let listed = connectionListsFields ? listedFields(head.headers) : nil
        var fields: [(String, String)] = []
        fields.reserveCapacity(head.headers.count + 2)
        for (name, value) in head.headers {
            switch ProxyHeaderField.classify(name) {
            case .connection, .otherHopByHop, .transferEncoding: continue
            default:
                if let listed, listed.contains(name.lowercased()) { continue }
            }
            fields.append((name, value))
        }
        if framing == .chunked { fields.append(("Transfer-Encoding", "chunked")) }
        if close {
            fields.append(("Connection", "close"))
        } else if keepAliveHeader {
            fields.append(("Connection", "keep-alive"))
        }
        return (HTTPResponseHead(version: clientVersion, status: head.status, headers: HTTPHeaders(fields)), framing)
    }
}
