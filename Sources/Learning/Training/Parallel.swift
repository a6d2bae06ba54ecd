import Dispatch

/// Runs `body(0..<count)` on up to `count` threads and returns when all are done. Iteration `i`
/// always does the same work whatever the scheduling, so results are deterministic.
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let box = UncheckedSendable(escapable)
        DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
}

/// Splits `0..<total` into `parts` contiguous ranges whose bounds are multiples of `align`.
func splitRange(_ total: Int, parts: Int, align: Int = 16) -> [Range<Int>] {
    guard parts > 1 else { return [0..<total] }
    var bounds = [0]
    for p in 1..<parts {
        let b = min(total, (total * p / parts + align - 1) / align * align)
        bounds.append(max(b, bounds.last!))
    }
    bounds.append(total)
    return (0..<parts).map { bounds[$0]..<bounds[$0 + 1] }
}
