extension RunFile {
    /// Stores the resolved configuration as group `/config`: a `json` string attribute plus the
    /// typed `attributes`. Replaces any earlier configuration; flushes.
    public func setConfiguration(json: String, attributes: [String: AttributeValue] = [:]) throws {
        H5.silence()
        guard attributes["json"] == nil else {
            throw RunFileError(kind: .invalidName, path: path, message: "configuration attribute 'json' is reserved")
        }
        let root = try writableRoot()
        if try root.contains("config") { try root.remove("config") }
        let config = try root.requireGroup("config")
        defer { config.close() }
        try config.setAttribute("json", .string(json))
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            try config.setAttribute(name, value)
        }
        try flush()
    }

    /// The configuration JSON, or nil if none was stored.
    public var configurationJSON: String? {
        get throws { try configuration()?["json"]?.stringValue }
    }

    /// The typed configuration attributes (without `json`); empty if none were stored.
    public var configurationAttributes: [String: AttributeValue] {
        get throws { try configuration()?.filter { $0.key != "json" } ?? [:] }
    }

    private func configuration() throws -> [String: AttributeValue]? {
        H5.silence()
        let root = try root()
        guard try root.contains("config") else { return nil }
        let config = try root.group("config")
        defer { config.close() }
        return try config.attributes()
    }
}
