import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server on 127.0.0.1 (any free port) whose requests are answered by a
/// ``DelayedResponseHandler``: the socket of one emulated instance or node.
///
/// ``stop()`` closes the listening socket, so new connections are refused (a transport error,
/// as for a deleted or crashed pod), and closes the accepted connections once their request in
/// flight has been answered.
final class LoopbackHTTPServer: Sendable {
    /// What the server stands for (an instance or node name), for messages.
    let name: String
    private let listener = NIOLockedValueBox<(any Channel)?>(nil)
    private let children = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
    private let stopped = NIOLockedValueBox(false)

    init(name: String) { self.name = name }

    /// Whether ``stop()`` was called.
    var isStopped: Bool { stopped.withLockedValue { $0 } }

    /// Binds to 127.0.0.1 on any free port and serves with `behaviour`; returns the port.
    func start(on group: any EventLoopGroup, behaviour: @escaping EndpointBehaviour) async throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(DelayedResponseHandler(server: self, behaviour: behaviour))
                    track(channel)
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        listener.withLockedValue { $0 = channel }
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw EmulationError.setup("\(name): no local port after binding")
        }
        return port
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        if isStopped {
            channel.close(promise: nil)
            return
        }
        children.withLockedValue { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = children.withLockedValue { $0.removeValue(forKey: id) }
        }
    }

    /// Stops listening and closes every connection (after its answer in flight).
    func stop() async {
        stopped.withLockedValue { $0 = true }
        let channel = listener.withLockedValue { value -> (any Channel)? in
            defer { value = nil }
            return value
        }
        try? await channel?.close()
        for child in children.withLockedValue({ Array($0.values) }) {
            child.pipeline.fireUserInboundEventTriggered(DelayedResponseHandler.StopEvent())
        }
    }

    /// Closes everything at once (end of the emulation).
    func shutdown() async {
        stopped.withLockedValue { $0 = true }
        let channel = listener.withLockedValue { value -> (any Channel)? in
            defer { value = nil }
            return value
        }
        try? await channel?.close()
        for child in children.withLockedValue({ Array($0.values) }) { try? await child.close() }
    }
}
