import Foundation

/// A one-line progress display on a terminal (redrawn in place, at most 10 times a second), or
/// plain lines at every 10% when standard error is not a terminal (logs, CI).
final class ProgressBar {
    private let label: String
    private let total: Int
    private let interactive: Bool
    private var lastDraw: UInt64 = 0
    private var lastDecile = -1
    private let start = DispatchTime.now().uptimeNanoseconds

    init(label: String, total: Int, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.interactive = interactive
    }

    /// Reports `done` of `total` units; `detail` is appended (loss, …).
    func update(_ done: Int, detail: String = "") {
        let now = DispatchTime.now().uptimeNanoseconds
        let elapsed = Double(now - start) * 1e-9
        let fraction = min(1, Double(done) / Double(total))
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let text = "\(Int(fraction * 100))% \(done)/\(total) \(Int(rate)) samples/s \(detail) ETA \(Self.clock(eta))"
        if interactive {
            guard now - lastDraw > 100_000_000 || done >= total else { return }
            lastDraw = now
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) [\(bar)] \(text)".utf8))
        } else {
            let decile = Int(fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data("\(label): \(text)\n".utf8))
        }
    }

    /// Ends the line on a terminal.
    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
