import NIOCore
import NIOPosix

/// Settings of a ``ProxyServer``.
public struct ProxyConfiguration: Sendable {
    /// Address to listen on.
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks an ephemeral port (see ``ProxyServer/localAddress``).
    public var port: Int = 9090
    /// Event loop threads when the server creates its own group. Default: the number of cores.
    public var eventLoopThreads: Int = System.coreCount
    /// Listen backlog.
    public var backlog: Int32 = 1024

    /// Upstream TCP connect timeout; on expiry the attempt fails with
    /// ``UpstreamErrorKind/connectTimeout`` (retried once elsewhere, else `504`).
    public var connectTimeout: TimeAmount = .seconds(1)
    /// Total time from the request head to the end of the response (per service overridable via
    /// ``ProxyRouter/totalTimeoutSeconds(service:)``). Before the response head this yields `504`;
    /// after it, both connections are closed.
    public var totalTimeout: TimeAmount = .seconds(30)
    /// Keep-alive client connections idle for longer are closed (also bounds slow request heads).
    public var clientIdleTimeout: TimeAmount = .seconds(60)
    /// Pooled upstream connections idle for longer are closed.
    public var upstreamIdleTimeout: TimeAmount = .seconds(30)

    /// Maximum request line plus header bytes (each field and in total); larger heads get `431`.
    public var maxHeaderBytes: Int = 32 * 1024
    /// Maximum request body bytes; larger bodies get `413` and the connection is closed.
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    /// Request body bytes kept after being sent upstream so that an idempotent request can be
    /// replayed on another instance. Larger bodies are streamed without a replay copy and are
    /// then retried only if nothing was sent yet.
    public var replayBufferBytes: Int = 64 * 1024
    /// Request body bytes buffered from the client while the upstream connection is being
    /// established or is not writable, before reading from the client pauses.
    public var requestBufferBytes: Int = 256 * 1024

    /// Idle keep-alive connections kept per upstream instance **per event loop**; surplus
    /// connections are closed when released. Busy connections are not capped.
    public var maxIdleConnectionsPerUpstream: Int = 64

    /// Log every request at debug level (also set the logger's level to `.debug`). Off by default:
    /// per-request logging is expensive.
    public var logRequests: Bool = false
    /// Answer `GET /healthz` and `GET /metrics` locally when the request carries no `X-Service`.
    public var serveAdminEndpoints: Bool = true
    /// Latency histogram bucket edges in milliseconds; the service's τ is added when known.
    public var latencyBucketsMs: [Double] = [1, 2.5, 5, 10, 25, 50, 80, 100, 250, 500, 1000, 2500, 5000, 10000]

    /// Creates a configuration with defaults; set fields afterwards.
    public init(host: String = "127.0.0.1", port: Int = 9090) {
        self.host = host
        self.port = port
    }
}
