import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// The scenario clock of an emulation: scenario seconds since ``start()``, running
/// ``TimeScale/speedup`` times faster than the monotonic wall clock. It reads 0 until started,
/// so the set-up (binding servers, creating the policy) happens at scenario time 0.
public final class EmulationClock: Sendable {
    /// The time scale.
    public let scale: TimeScale
    private let origin = NIOLockedValueBox<UInt64?>(nil)

    /// A clock with `scale`, not yet started.
    public init(scale: TimeScale) { self.scale = scale }

    /// Starts the clock now (once; later calls do nothing).
    public func start() {
        let now = DispatchTime.now().uptimeNanoseconds
        origin.withLockedValue { if $0 == nil { $0 = now } }
    }

    /// Scenario seconds since the start (0 before it).
    public var now: Double {
        guard let start = origin.withLockedValue({ $0 }) else { return 0 }
        let wall = Double(DispatchTime.now().uptimeNanoseconds &- start) * 1e-9
        return scale.scenarioSeconds(forWall: max(0, wall))
    }

    /// The wall-clock deadline of scenario time `seconds` (the clock must have started).
    public func deadline(forScenario seconds: Double) -> NIODeadline {
        let start = origin.withLockedValue { $0 } ?? DispatchTime.now().uptimeNanoseconds
        let offset = scale.wallSeconds(forScenario: max(0, seconds)) * 1e9
        return .uptimeNanoseconds(start + UInt64(offset.rounded()))
    }
}
