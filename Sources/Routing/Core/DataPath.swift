/// How requests reach the chosen instance.
public enum DataPath: String, Sendable, Hashable {
    /// Through the QoS proxy on the client's node (the proxied latency model of spec §7.2).
    case proxied
    /// Kubernetes NodePort / kube-proxy, bypassing the proxy (warm proxied response + extra).
    case nodePort
}
