#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON registry file format and its loader.
///
/// ```json
/// {"services": {
///    "dps": {"instances": [{"name": "s1", "address": "127.0.0.1:8081"},
///                          {"name": "s2", "address": "[::1]:8082"}],
///            "latencyThresholdMs": 80, "timeoutSeconds": 30}
/// }}
/// ```
/// `latencyThresholdMs` and `timeoutSeconds` are optional. Instance names must be unique within a
/// service; they become the instances' ``UpstreamID``s. Unknown keys are ignored.
public enum RegistryFile {
    /// Why a registry file was rejected.
    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case invalidJSON(String)
        case invalidAddress(service: String, instance: String, address: String)
        case duplicateInstance(service: String, instance: String)
        case emptyName(service: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
            case .invalidJSON(let reason): "invalid registry JSON: \(reason)"
            case .invalidAddress(let service, let instance, let address):
                "service \(service), instance \(instance): invalid address \"\(address)\" (want host:port or [v6]:port)"
            case .duplicateInstance(let service, let instance):
                "service \(service): duplicate instance name \(instance)"
            case .emptyName(let service): "service \"\(service)\": empty service or instance name"
            }
        }
    }

    private struct FileModel: Decodable {
        struct ServiceModel: Decodable {
            struct InstanceModel: Decodable {
                var name: String
                var address: String
                var node: String?
            }
            var instances: [InstanceModel]
            var latencyThresholdMs: Double?
            var timeoutSeconds: Double?
            var balancer: String?
        }
        var services: [String: ServiceModel]
    }

    /// Reads and validates a registry file.
    public static func load(path: String) throws -> UpstreamRegistry {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError.unreadable(path: path, reason: "missing or unreadable")
        }
        return try parse(data)
    }

    /// Parses and validates registry JSON.
    public static func parse(_ data: Data) throws -> UpstreamRegistry {
        let model: FileModel
        do {
            model = try JSONDecoder().decode(FileModel.self, from: data)
        } catch {
            throw LoadError.invalidJSON(String(describing: error))
        }
        var services: [String: UpstreamRegistry.Service] = [:]
        for (name, service) in model.services {
            guard !name.isEmpty else { throw LoadError.emptyName(service: name) }
            var seen = Set<String>()
            var instances: [Upstream] = []
            for instance in service.instances {
                guard !instance.name.isEmpty else { throw LoadError.emptyName(service: name) }
                guard seen.insert(instance.name).inserted else {
                    throw LoadError.duplicateInstance(service: name, instance: instance.name)
                }
                guard let (host, port) = parseAddress(instance.address) else {
                    throw LoadError.invalidAddress(service: name, instance: instance.name, address: instance.address)
                }
                instances.append(Upstream(id: UpstreamID(instance.name), host: host, port: port, node: instance.node))
            }
            services[name] = .init(
                instances: instances, latencyThresholdMs: service.latencyThresholdMs,
                timeoutSeconds: service.timeoutSeconds, balancer: service.balancer)
        }
        return UpstreamRegistry(services: services)
    }

    /// Splits `host:port` or `[v6]:port` into host and port.
    public static func parseAddress(_ address: String) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return nil }
            host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = address.lastIndex(of: ":") else { return nil }
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
            if host.contains(":") { return nil }  // bare IPv6 needs brackets
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}
