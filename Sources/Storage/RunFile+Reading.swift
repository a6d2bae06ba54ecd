extension RunFile {
    /// The root `status` attribute; `.notARunFile` if it is missing or unreadable as a status.
    public var status: RunStatus {
        get throws {
            H5.silence()
            let root = try root()
            guard try root.hasAttribute("status") else {
                throw RunFileError(kind: .notARunFile, path: path, message: "not an aiotwin run file: no root attribute 'status'")
            }
            let value = try root.attribute("status")
            guard let text = value.stringValue, let status = RunStatus(text) else {
                throw RunFileError(kind: .notARunFile, path: path,
                                   message: "not an aiotwin run file: root attribute 'status' is \(value), not running/completed/failed")
            }
            return status
        }
    }

    /// Whether the run finished normally (`status` is `completed`).
    public var isComplete: Bool {
        get throws { try status == .completed }
    }

    /// The run metadata stored in the root attributes.
    public var metadata: RunMetadata {
        get throws {
            H5.silence()
            return try RunMetadata(attributes: try root().attributes(), path: path)
        }
    }
}
