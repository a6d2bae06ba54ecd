import ArgumentParser
import Foundation
import NIOCore

/// The options of the reverse proxy, shared by `aiotwin proxy serve` (the workbench, with Lua
/// plugins) and `aiotwin-proxy` (the lean per-node binary for deployments).
public struct ProxyServeOptions: ParsableArguments {
    /// The `--help` discussion of both commands; `policies` says which balancers the binary has.
    public static func discussion(policies: String) -> String {
        """
        The registry (JSON, reloaded when it changes):
          {"services": {"dps": {"latencyThresholdMs": 80, "balancer": "slo_aware",
            "instances": [{"name": "s1", "address": "10.0.0.11:8080", "node": "worker1"}]}}}
        A request names its service with an X-Service header, else the first label of its Host. /healthz and /metrics (Prometheus) are served locally. No per-request logging unless --log-requests. SIGINT or SIGTERM stop the proxy (exit status 0).

        Each service is routed by a policy (--balancer, or the registry's "balancer"): \(policies)
        """
    }

    @Option(name: [.customLong("config"), .customLong("registry")], help: ArgumentHelp("The registry file (JSON).", valueName: "file"))
    public var config: String

    @Option(help: "Listen address.")
    public var host = "127.0.0.1"

    @Option(help: "Listen port (0: any free port, printed at start).")
    public var port = 9090

    @Option(help: "Event loop threads (default: all cores).")
    public var threads = System.coreCount

    @Option(help: "Default routing policy of services that do not name one.")
    public var balancer = "slo_aware"

    @Option(help: "Default latency SLO τ in ms for services that do not give latencyThresholdMs.")
    public var tauMs: Double = 80

    @Option(help: "This proxy's node name (policies prefer instances on it).")
    public var node = ProcessInfo.processInfo.hostName

    @Option(help: ArgumentHelp("A scenario file whose algorithms (with their parameters) may be named as balancers.", valueName: "file"))
    public var scenario: String?

    @Option(help: "Upstream connect timeout in ms.")
    public var connectTimeoutMs = 1000

    @Option(help: "Upstream total timeout in ms.")
    public var timeoutMs = 30_000

    @Option(help: "Close idle pooled upstream connections after this many ms.")
    public var upstreamIdleMs = 30_000

    @Option(help: "Seed of the routing choices.")
    public var seed: UInt64 = 1

    @Flag(help: "Log every request (debug level).")
    public var logRequests = false

    public init() {}

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard threads >= 1, connectTimeoutMs >= 1, timeoutMs >= 1, tauMs > 0 else {
            throw ValidationError("--threads, --connect-timeout-ms, --timeout-ms and --tau-ms must be positive")
        }
    }
}
