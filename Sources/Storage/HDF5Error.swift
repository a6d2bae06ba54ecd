import CHDF5

/// A failed HDF5 call: the operation, the file, and the library's error stack.
///
/// `description` is one line, e.g. `runs/a.h5: cannot open: file signature not found`: the file,
/// the operation, and the innermost (most specific) message of the stack.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// One frame of HDF5's error stack.
    public struct Frame: Sendable, CustomStringConvertible {
        /// The library function that pushed the frame, e.g. `H5F__super_read`.
        public let function: String
        /// Its message, e.g. `file signature not found`.
        public let message: String
        /// `function: message`.
        public var description: String { "\(function): \(message)" }
    }

    /// What was attempted, e.g. `cannot open` or `cannot read attribute 'seed' of /`.
    public let operation: String
    /// The file's path as given by the caller.
    public let path: String
    /// The error stack, outermost API call first.
    public let frames: [Frame]

    /// The most specific message: the innermost non-empty frame message.
    public var reason: String? { frames.last(where: { !$0.message.isEmpty })?.message }

    /// `path: operation: reason`.
    public var description: String { "\(path): \(operation)" + (reason.map { ": \($0)" } ?? "") }

    /// All frames on one line, innermost last, for logs that want the full stack.
    public var fullDescription: String {
        "\(path): \(operation)" + frames.map { " | \($0)" }.joined()
    }

    /// Collects the calling thread's HDF5 error stack into an error and clears the stack.
    /// Must run on the thread of the failing call, right after it.
    static func takeStack(operation: String, path: String) -> HDF5Error {
        var frames: [Frame] = []
        withUnsafeMutablePointer(to: &frames) { box in
            _ = H5Ewalk2(ch5_e_default(), H5E_WALK_DOWNWARD, { _, entry, data in
                guard let entry, let data else { return 0 }
                let function = entry.pointee.func_name.map { String(cString: $0) } ?? "?"
                let message = entry.pointee.desc.map { String(cString: $0) } ?? ""
                data.assumingMemoryBound(to: [Frame].self).pointee.append(Frame(function: function, message: message))
                return 0
            }, box)
        }
        _ = H5Eclear2(ch5_e_default())
        return HDF5Error(operation: operation, path: path, frames: frames)
    }
}
