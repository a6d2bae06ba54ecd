import Foundation

/// A thread-safe counter of open handles (a lock rather than `Atomic`, which needs macOS 15).
final class OpenCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Adds `delta`.
    func add(_ delta: Int) {
        lock.withLock { count += delta }
    }

    /// The current count.
    var value: Int { lock.withLock { count } }
}
