/// Services and their instances, as loaded from a registry file (see ``RegistryFile``).
public struct UpstreamRegistry: Sendable, Equatable {
    /// One service: its instances and optional QoS parameters.
    public struct Service: Sendable, Equatable {
        /// The instances, in file order.
        public var instances: [Upstream]
        /// The service's latency threshold τ in milliseconds, if the file gives one.
        public var latencyThresholdMs: Double?
        /// The service's total request timeout in seconds, if the file gives one.
        public var timeoutSeconds: Double?
        /// The routing policy for the service (a balancer name), when the file names one.
        public var balancer: String?

        /// Creates a service entry.
        public init(instances: [Upstream], latencyThresholdMs: Double? = nil, timeoutSeconds: Double? = nil, balancer: String? = nil) {
            self.balancer = balancer
            self.instances = instances
            self.latencyThresholdMs = latencyThresholdMs
            self.timeoutSeconds = timeoutSeconds
        }
    }

    /// Services by name.
    public var services: [String: Service]

    /// Creates a registry.
    public init(services: [String: Service] = [:]) {
        self.services = services
    }

    /// Convenience: a registry from plain instance lists.
    public init(instances: [String: [Upstream]]) {
        self.services = instances.mapValues { Service(instances: $0) }
    }
}
