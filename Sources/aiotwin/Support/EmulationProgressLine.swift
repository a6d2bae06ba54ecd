import Foundation
import Routing

/// Progress of `aiotwin proxy emulate` on standard error: one line redrawn in place on a
/// terminal, else a plain line at every 10% of the requests (logs, CI, tests).
final class EmulationProgressLine: @unchecked Sendable {
    private let label: String
    private let interactive: Bool
    private let lock = NSLock()
    private var lastDecile = -1

    init(label: String, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.interactive = interactive
    }

    /// Shows `p`.
    func show(_ p: EmulationProgress) {
        lock.lock(); defer { lock.unlock() }
        let total = max(p.total, 1)
        let success = p.answered > 0 ? 100 * Double(p.successes) / Double(p.answered) : 0
        let rate = p.wallTime > 0 ? Double(p.sent) / p.wallTime : 0
        let eta = rate > 0 ? Double(p.total - p.sent) / rate : 0
        let text = String(format: "%@: %d/%d sent, %d answered, success %.2f%%, scenario %.0f s, wall %.0f s, ETA %.0f s",
                          label, p.sent, p.total, p.answered, success, p.scenarioTime, p.wallTime, eta)
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
        } else {
            let decile = p.sent * 10 / total
            guard decile > lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Ends the line on a terminal.
    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
