import Foundation

/// Who made a run and how: written as root attributes of its run file.
public struct RunMetadata: Hashable, Sendable {
    /// The aiotwin version (root attribute `aiotwin_version`).
    public var aiotwinVersion: String
    /// When the run started, ISO-8601 (`created`).
    public var created: String
    /// The random seed (`seed`, int64).
    public var seed: Int64
    /// The command line (`command`).
    public var command: String
    /// The source text of the script that drove the run (`script`).
    public var script: String
    /// The machine's host name (`host`).
    public var host: String
    /// Further string attributes; names must not clash with the ones above or with `status`.
    public var extra: [String: String]

    /// Metadata with `created` defaulting to now and `host` to this machine.
    public init(aiotwinVersion: String, created: String = RunMetadata.now(), seed: Int64, command: String,
                script: String, host: String = ProcessInfo.processInfo.hostName, extra: [String: String] = [:]) {
        self.aiotwinVersion = aiotwinVersion
        self.created = created
        self.seed = seed
        self.command = command
        self.script = script
        self.host = host
        self.extra = extra
    }

    /// The current time in ISO-8601, e.g. `2025-01-31T12:00:00Z`.
    public static func now() -> String {
        Date().formatted(.iso8601)
    }

    /// The root attribute names used by run files (metadata and `status`).
    static let reservedNames: Set<String> = ["aiotwin_version", "created", "seed", "command", "script", "host", "status"]

    /// The metadata as root attributes.
    var attributes: [String: AttributeValue] {
        var result = extra.mapValues { AttributeValue.string($0) }
        result["aiotwin_version"] = .string(aiotwinVersion)
        result["created"] = .string(created)
        result["seed"] = .int64(seed)
        result["command"] = .string(command)
        result["script"] = .string(script)
        result["host"] = .string(host)
        return result
    }

    /// The metadata found in the root `attributes` of the run file at `path`.
    init(attributes: [String: AttributeValue], path: String) throws {
        func value<T>(_ name: String, _ type: String, _ get: (AttributeValue) -> T?) throws -> T {
            guard let found = attributes[name], let value = get(found) else {
                throw RunFileError(kind: .notARunFile, path: path,
                                   message: "not an aiotwin run file: no \(type) root attribute '\(name)'")
            }
            return value
        }
        let extra = attributes.filter { !Self.reservedNames.contains($0.key) }.compactMapValues(\.stringValue)
        self.init(aiotwinVersion: try value("aiotwin_version", "string", \.stringValue),
                  created: try value("created", "string", \.stringValue),
                  seed: try value("seed", "int64", \.int64Value),
                  command: try value("command", "string", \.stringValue),
                  script: try value("script", "string", \.stringValue),
                  host: try value("host", "string", \.stringValue), extra: extra)
    }
}
