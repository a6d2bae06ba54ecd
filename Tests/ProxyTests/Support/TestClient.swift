import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A complete HTTP response as seen by a test client.
struct TestResponse: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer
    var trailers: HTTPHeaders?

    var status: Int { Int(head.status.code) }
    var headers: HTTPHeaders { head.headers }
    var text: String { String(buffer: body) }
    func header(_ name: String) -> String? { head.headers.first(name: name) }
}

enum TestClientError: Error {
    /// The connection closed before the response ended; `partial` has what arrived.
    case closed(partial: TestResponse?)
}

/// A keep-alive HTTP/1.1 client connection built on NIO, for driving the proxy in tests.
final class TestClient: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func connect(port: Int, group: any EventLoopGroup) async throws -> TestClient {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TestClient(channel: channel)
    }

    /// Sends one request and waits (at most `timeout`) for its response.
    func request(_ method: HTTPMethod = .GET, _ uri: String, headers: [(String, String)] = [],
                 body: ByteBuffer? = nil, version: HTTPVersion = .http1_1,
                 timeout: TimeAmount = .seconds(10)) async throws -> TestResponse {
        let channel = self.channel
        var requestHeaders = HTTPHeaders(headers)
        if let body, !requestHeaders.contains(name: "content-length"), !requestHeaders.contains(name: "transfer-encoding") {
            requestHeaders.add(name: "Content-Length", value: String(body.readableBytes))
        }
        let head = HTTPRequestHead(version: version, method: method, uri: uri, headers: requestHeaders)
        let future = channel.eventLoop.flatSubmit { () -> EventLoopFuture<TestResponse> in
            let promise = channel.eventLoop.makePromise(of: TestResponse.self)
            do {
                let collector = try channel.pipeline.syncOperations.handler(type: ResponseCollector.self)
                collector.enqueue(promise, isHead: method == .HEAD)
            } catch {
                promise.fail(error)
                return promise.futureResult
            }
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            let watchdog = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            promise.futureResult.whenComplete { _ in watchdog.cancel() }
            return promise.futureResult
        }
        return try await future.get()
    }

    func close() async {
        try? await channel.close()
    }
}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var pending: [(EventLoopPromise<TestResponse>, Bool)] = []
    private var current: TestResponse?

    func enqueue(_ promise: EventLoopPromise<TestResponse>, isHead: Bool) {
        pending.append((promise, isHead))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            current = TestResponse(head: head, body: ByteBuffer(), trailers: nil)
        case .body(var part):
            current?.body.writeBuffer(&part)
        case .end(let trailers):
            current?.trailers = trailers
            if let response = current, !pending.isEmpty {
                pending.removeFirst().0.succeed(response)
            }
            current = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let waiting = pending
        pending.removeAll()
        for (index, (promise, _)) in waiting.enumerated() {
            promise.fail(TestClientError.closed(partial: index == 0 ? current : nil))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A raw TCP connection: write bytes, collect whatever comes back.
final class RawConnection: Sendable {
    let channel: any Channel
    private let received: NIOLockedValueBox<ByteBuffer>

    private init(channel: any Channel, received: NIOLockedValueBox<ByteBuffer>) {
        self.channel = channel
        self.received = received
    }

    static func connect(port: Int, group: any EventLoopGroup) async throws -> RawConnection {
        let received = NIOLockedValueBox(ByteBuffer())
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RawCollector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    func send(_ buffer: ByteBuffer) async throws {
        try await channel.writeAndFlush(buffer)
    }

    /// What arrived so far.
    var text: String { received.withLockedValue { String(buffer: $0) } }

    /// Waits until the peer closes (true) or `timeout` passes (false).
    func waitForClose(timeout: TimeAmount = .seconds(5)) async -> Bool {
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: Bool.self)
        channel.closeFuture.whenComplete { _ in promise.succeed(true) }
        channel.eventLoop.scheduleTask(in: timeout) { promise.succeed(false) }
        let closed = (try? await promise.futureResult.get()) ?? false
        return closed
    }

    /// Sends `text` and returns everything received until the server closes (or `timeout`).
    static func exchange(port: Int, group: any EventLoopGroup, _ text: String,
                         timeout: TimeAmount = .seconds(5)) async throws -> String {
        let connection = try await connect(port: port, group: group)
        try await connection.send(text)
        _ = await connection.waitForClose(timeout: timeout)
        try? await connection.channel.close()
        return connection.text
    }

    func close() async {
        try? await channel.close()
    }
}

private final class RawCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let received: NIOLockedValueBox<ByteBuffer>

    init(received: NIOLockedValueBox<ByteBuffer>) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        _ = received.withLockedValue { $0.writeBuffer(&buffer) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
