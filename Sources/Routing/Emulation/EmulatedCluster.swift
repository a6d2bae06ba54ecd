import NIOConcurrencyHelpers

/// The shared, thread-safe state of a loopback cluster: one ``ClusterModel`` behind a lock,
/// read on the scenario clock by every instance and node server, plus a ledger of which
/// instance received which request (to name the instance of a request that failed in transit).
public final class EmulatedCluster: Sendable {
    /// The scenario clock.
    public let clock: EmulationClock
    private let model: NIOLockedValueBox<ClusterModel>
    private let ledger = NIOLockedValueBox<[Int: String]>([:])

    /// A cluster running `model` on `clock`.
    public init(model: ClusterModel, clock: EmulationClock) {
        self.clock = clock
        self.model = NIOLockedValueBox(model)
    }

    /// A request arrives at `instance` now: when and how to answer it.
    public func admit(_ instance: String) -> ResponsePlan {
        let now = clock.now
        return model.withLockedValue { $0.admit(instance, at: now) }
    }

    /// The answer of a request admitted to `instance` has been sent.
    public func release(_ instance: String) {
        let now = clock.now
        model.withLockedValue { $0.release(instance, at: now) }
    }

    /// A ping of `node` arrives now: its duration in ms.
    public func pingDurationMs(_ node: String) -> Double {
        let now = clock.now
        return model.withLockedValue { $0.pingDurationMs(node, at: now) }
    }

    /// The ping of `node` has been answered.
    public func pingEnded(_ node: String) {
        let now = clock.now
        model.withLockedValue { $0.pingEnded(node, at: now) }
    }

    /// Applies a scenario change now.
    public func apply(_ action: ClusterAction) {
        let now = clock.now
        model.withLockedValue { $0.apply(action, at: now) }
    }

    /// A copy of the model (for inspection).
    public var snapshot: ClusterModel { model.withLockedValue { $0 } }

    /// Notes that request `index` reached `instance`.
    public func received(request index: Int, by instance: String) {
        ledger.withLockedValue { $0[index] = instance }
    }

    /// The instance that request `index` reached last, if any.
    public func receiver(ofRequest index: Int) -> String? {
        ledger.withLockedValue { $0[index] }
    }
}
