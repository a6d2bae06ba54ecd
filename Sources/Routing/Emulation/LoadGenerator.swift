import NIOConcurrencyHelpers
import NIOCore

/// The IoT device: sends request `k` through the proxy when told (open loop: it never waits for
/// earlier answers), names the service in `X-Service` and the request in `X-Request-Index`, and
/// turns each answer into a ``LoadOutcome``.
final class LoadGenerator: Sendable {
    private let pool: LoopbackClientPool
    private let cluster: EmulatedCluster
    private let request: LoopbackRequest
    private let loop: any EventLoop
    private let timeout: TimeAmount
    private let counts = NIOLockedValueBox<(answered: Int, successes: Int)>((0, 0))
    private let requirement: QoSRequirement

    /// A generator of `method` requests with `bodyBytes` bytes for `service`, through `pool`.
    init(pool: LoopbackClientPool, loop: any EventLoop, cluster: EmulatedCluster, service: String, method: String,
         bodyBytes: Int, requirement: QoSRequirement, timeout: TimeAmount = .seconds(60)) {
        self.pool = pool
        self.loop = loop
        self.cluster = cluster
        self.requirement = requirement
        self.timeout = timeout
        let body = Array("{\"sensor\":\"co2\",\"value\":412.5}".utf8)
        let bytes = (0..<max(0, bodyBytes)).map { body.isEmpty ? 0x20 : body[$0 % body.count] }
        self.request = LoopbackRequest(method: .init(rawValue: method.uppercased()), uri: "/readings",
                                       headers: [("X-Service", service), ("Content-Type", "application/json")], body: bytes)
    }

    /// Answered requests and SLO successes so far.
    var progress: (answered: Int, successes: Int) { counts.withLockedValue { $0 } }

    /// Sends request `index` of phase `phase` now.
    func fire(index: Int, phase: Int) -> EventLoopFuture<LoadOutcome> {
        let sentAt = cluster.clock.now
        var request = self.request
        request.headers.append((EmulatedEndpoints.requestIndexHeader, String(index)))
        let promise = loop.makePromise(of: LoadOutcome.self)
        let done = NIOLockedValueBox(false)
        let cluster = self.cluster
        @Sendable func finish(_ outcome: LoadOutcome) {
            guard done.withLockedValue({ d in defer { d = true }; return !d }) else { return }
            let record = outcome.record(requirement: requirement)
            counts.withLockedValue { c in
                c.answered += 1
                if record.success { c.successes += 1 }
            }
            promise.succeed(outcome)
        }
        let timer = loop.scheduleTask(in: timeout) {
            finish(LoadOutcome(index: index, sentAt: sentAt, phase: phase, status: nil, elapsedMs: nil, instance: nil,
                               receiver: cluster.receiver(ofRequest: index), cold: false))
        }
        let started = cluster.clock.now
        pool.send(request).whenComplete { result in
            timer.cancel()
            switch result {
            case .success(let response):
                finish(LoadOutcome(index: index, sentAt: sentAt, phase: phase, status: response.status,
                                   elapsedMs: response.elapsedMs, instance: response.header(EmulatedEndpoints.instanceHeader),
                                   receiver: cluster.receiver(ofRequest: index),
                                   cold: response.header(EmulatedEndpoints.coldHeader) == "1"))
            case .failure:
                let elapsed = cluster.clock.scale.wallSeconds(forScenario: cluster.clock.now - started) * 1000
                finish(LoadOutcome(index: index, sentAt: sentAt, phase: phase, status: nil, elapsedMs: elapsed, instance: nil,
                                   receiver: cluster.receiver(ofRequest: index), cold: false))
            }
        }
        return promise.futureResult
    }
}
