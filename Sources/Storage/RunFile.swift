import Foundation

/// The one self-describing HDF5 file of a run:
///
/// ```
/// /                  attrs: aiotwin_version, created, seed, command, script, host, status, extras
/// /config            attrs: json + typed configuration attributes
/// /metrics/<name>    extendible tables
/// /events            table: round, time_s, kind, detail (JSON)
/// /snapshots/<name>/ float32 datasets named like PyTorch state_dict keys + attrs (order, …)
/// ```
///
/// Writers `create` it, append rows, `flush()` after every completed round, and `finish(status:)`.
/// A file whose `status` still says `running` was not finished (the process was killed); it keeps
/// everything written before the last flush. Readers use `open(path:)`.
///
/// Not `Sendable`: confine a run file to one task or actor.
public final class RunFile {
    /// The path as given by the caller.
    public let path: String
    /// Whether the file was created for writing (`create`) rather than opened for reading (`open`).
    public let isWritable: Bool
    private var file: H5File?
    private var rootGroup: H5Group?
    private var tables: [String: TableWriter] = [:]

    private init(path: String, file: H5File, writable: Bool) throws {
        self.path = path
        self.isWritable = writable
        self.file = file
        self.rootGroup = try file.rootGroup()
    }

    /// Creates the run file at `path` (and its parent directories), writes `metadata` as root
    /// attributes and `status` = `running`, and flushes. Fails if the file exists, unless `overwrite`.
    public static func create(path: String, metadata: RunMetadata, overwrite: Bool = false) throws -> RunFile {
        H5.silence()
        if let clash = metadata.extra.keys.sorted().first(where: RunMetadata.reservedNames.contains) {
            throw RunFileError(kind: .invalidName, path: path, message: "extra metadata '\(clash)' is a reserved attribute name")
        }
        if !overwrite && FileManager.default.fileExists(atPath: path) {
            throw RunFileError(kind: .fileExists, path: path, message: "run file already exists (pass overwrite: true to replace it)")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let run = try RunFile(path: path, file: try H5File.create(path: path, overwrite: overwrite), writable: true)
        let root = try run.root()
        for (name, value) in metadata.attributes.sorted(by: { $0.key < $1.key }) {
            try root.setAttribute(name, value)
        }
        try root.setAttribute("status", .string(RunStatus.running.description))
        try run.flush()
        return run
    }

    /// Opens an existing run file for reading. A missing, truncated or non-HDF5 file throws an
    /// `HDF5Error`; an HDF5 file without a valid `status` attribute a `RunFileError` (`.notARunFile`).
    public static func open(path: String) throws -> RunFile {
        H5.silence()
        let run = try RunFile(path: path, file: try H5File.open(path: path, mode: .readOnly), writable: false)
        _ = try run.status
        return run
    }

    /// Writes everything buffered to the operating system (`H5Fflush`, global scope). Call it after
    /// every completed round: a process killed later leaves a file with everything flushed so far.
    public func flush() throws {
        H5.silence()
        guard let file else { throw closedError() }
        if isWritable { try file.flush() }
    }

    /// Records the final `status` (`completed` or `failed: <reason>`), flushes and closes the file.
    public func finish(status: RunStatus) throws {
        H5.silence()
        try writableRoot().setAttribute("status", .string(status.description))
        try flush()
        try close()
    }

    /// Closes the file without changing its status (a writer that never finishes leaves `running`).
    /// Tables returned by `metrics` are closed too. Closing twice is harmless.
    public func close() throws {
        H5.silence()
        tables.values.forEach { $0.close() }
        tables = [:]
        rootGroup?.close()
        rootGroup = nil
        let open = file
        file = nil
        try open?.close()
    }

    /// The root group, or `.closed`.
    func root() throws -> H5Group {
        guard let rootGroup else { throw closedError() }
        return rootGroup
    }

    /// The root group of a writable, open file.
    func writableRoot() throws -> H5Group {
        guard isWritable else {
            throw RunFileError(kind: .readOnly, path: path, message: "run file is open for reading only")
        }
        return try root()
    }

    /// The cached open writer of table `name` in group `parent`, or a newly created or opened one.
    func table(_ name: String, in parent: String, columns: [ColumnSpec]) throws -> TableWriter {
        let key = parent + "/" + name
        if let existing = tables[key], existing.isOpen {
            return try matching(existing, columns)
        }
        let group = try writableRoot().requireGroup(parent)
        defer { group.close() }
        let writer = try group.contains(name)
            ? try matching(try group.openTable(name), columns)
            : try group.createTable(name, columns: columns)
        tables[key] = writer
        return writer
    }

    /// Throws `.invalidName` unless `name` can be one path component.
    func validate(_ name: String, as what: String) throws {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw RunFileError(kind: .invalidName, path: path, message: "invalid \(what) name '\(name)'")
        }
    }

    private func matching(_ writer: TableWriter, _ columns: [ColumnSpec]) throws -> TableWriter {
        guard writer.columns == columns else {
            throw RunFileError(kind: .schemaMismatch, path: path,
                               message: "table \(writer.path) has columns \(Self.describe(writer.columns)), not \(Self.describe(columns))")
        }
        return writer
    }

    private func closedError() -> RunFileError {
        RunFileError(kind: .closed, path: path, message: "run file is closed")
    }

    private static func describe(_ columns: [ColumnSpec]) -> String {
        "(" + columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + ")"
    }
}
