import NIOConcurrencyHelpers
import NIOCore

/// Keep-alive client connections to one loopback port: a request takes an idle connection or
/// opens a new one, so requests never wait for each other (open loop).
final class LoopbackClientPool: Sendable {
    private let port: Int
    private let loop: any EventLoop
    private let idle = NIOLockedValueBox<[LoopbackHTTPConnection]>([])
    private let all = NIOLockedValueBox<[LoopbackHTTPConnection]>([])

    /// A pool for 127.0.0.1:`port` whose connections run on `loop`.
    init(port: Int, loop: any EventLoop) {
        self.port = port
        self.loop = loop
    }

    /// Opens `count` connections ahead of the first requests.
    func prewarm(_ count: Int) async throws {
        for _ in 0..<count {
            let connection = try await LoopbackHTTPConnection.connect(port: port, on: loop).get()
            all.withLockedValue { $0.append(connection) }
            idle.withLockedValue { $0.append(connection) }
        }
    }

    /// Sends `request` on a pooled or new connection.
    func send(_ request: LoopbackRequest) -> EventLoopFuture<LoopbackResponse> {
        let connection: EventLoopFuture<LoopbackHTTPConnection>
        if let reused = takeIdle() {
            connection = loop.makeSucceededFuture(reused)
        } else {
            connection = LoopbackHTTPConnection.connect(port: port, on: loop).map { [self] c in
                all.withLockedValue { $0.append(c) }
                return c
            }
        }
        return connection.flatMap { [self] c in
            c.send(request).map { [self] response in
                if response.keepAlive && c.channel.isActive { idle.withLockedValue { $0.append(c) } } else { c.close() }
                return response
            }.flatMapErrorThrowing { error in
                c.close()
                throw error
            }
        }
    }

    private func takeIdle() -> LoopbackHTTPConnection? {
        idle.withLockedValue { list in
            while let c = list.popLast() {
                if c.channel.isActive { return c }
            }
            return nil
        }
    }

    /// Closes every connection.
    func close() {
        for c in all.withLockedValue({ $0 }) { c.close() }
        idle.withLockedValue { $0.removeAll() }
    }
}
