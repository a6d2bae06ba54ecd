import Foundation

/// A fixed-size, 64-byte aligned, zero-initialised Float32 buffer owned by one layer or worker.
///
/// Layers keep their activations and scratch space in these so that a training step allocates
/// nothing. The buffer is a class so that kernels can hand out stable pointers.
final class AlignedBuffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var count: Int

    init(count: Int) {
        self.count = max(count, 0)
        self.pointer = AlignedBuffer.allocate(self.count)
    }

    deinit { free(pointer) }

    /// Grows the buffer to hold at least `count` elements (contents are discarded).
    func reserve(_ count: Int) {
        guard count > self.count else { return }
        free(pointer)
        self.count = count
        pointer = AlignedBuffer.allocate(count)
    }

    /// Sets the first `n` elements to zero.
    func zero(_ n: Int? = nil) {
        pointer.update(repeating: 0, count: n ?? count)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            // Out of memory for a model buffer is not recoverable in any useful way.
            fatalError("aiotwin: cannot allocate \(bytes) bytes")
        }
        let p = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
        return p
    }
}

/// Wraps a non-Sendable value (typically a pointer to disjoint memory) for use in a parallel
/// loop whose iterations are known not to race.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
