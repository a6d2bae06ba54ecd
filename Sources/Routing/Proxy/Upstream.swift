/// The identity of one upstream instance (for example a pod), stable across route decisions,
/// outcomes and metrics labels.
///
/// The proxy treats it as an opaque label; the router decides what it means (an instance name,
/// `namespace/pod`, ...). It is used as the `upstream` label of the Prometheus metrics.
public struct UpstreamID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The label itself.
    public var rawValue: String

    /// Creates an identifier from its label.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { self.rawValue }
}

/// One upstream instance the proxy can forward to: an identity and a TCP endpoint.
///
/// `host` should be an IP literal (`10.1.2.3`, `::1`) so that connecting never blocks on name
/// resolution; a host name also works but is resolved (off the event loop, by NIO) on every new
/// connection.
public struct Upstream: Hashable, Sendable, CustomStringConvertible {
    /// The instance's identity, reported back in ``UpstreamOutcome/upstream``.
    public var id: UpstreamID
    /// IP address or host name to connect to.
    public var host: String
    /// TCP port to connect to.
    public var port: Int
    /// The node the instance runs on (QoS state and pings are per node); `nil`: its host.
    public var node: String?

    /// Creates an upstream endpoint.
    public init(id: UpstreamID, host: String, port: Int, node: String? = nil) {
        self.id = id
        self.host = host
        self.port = port
        self.node = node
    }

    public var description: String {
        host.contains(":") ? "\(id)@[\(host)]:\(port)" : "\(id)@\(host):\(port)"
    }
}
