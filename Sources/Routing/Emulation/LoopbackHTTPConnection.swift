import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request of the load generator or of a ping.
struct LoopbackRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
}

/// A complete response: status, headers and the wall-clock milliseconds from writing the
/// request to the end of the response.
struct LoopbackResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var elapsedMs: Double
    var keepAlive: Bool

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        let key = name.lowercased()
        return headers.first { $0.0.lowercased() == key }?.1
    }
}

/// The connection ended before the response did.
struct LoopbackConnectionClosed: Error, CustomStringConvertible {
    var description: String { "connection closed before the response ended" }
}

/// One keep-alive HTTP/1.1 client connection to a loopback server, one request at a time.
final class LoopbackHTTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ResponseCollector>

    private init(channel: any Channel, handler: NIOLoopBound<ResponseCollector>) {
        self.channel = channel
        self.handler = handler
    }

    /// Connects to 127.0.0.1:`port` (with `timeout`).
    static func connect(port: Int, on loop: any EventLoop, timeout: TimeAmount = .seconds(2)) -> EventLoopFuture<LoopbackHTTPConnection> {
        ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .flatMapThrowing { channel in
                let collector = try channel.pipeline.syncOperations.handler(type: ResponseCollector.self)
                return LoopbackHTTPConnection(channel: channel, handler: NIOLoopBound(collector, eventLoop: channel.eventLoop))
            }
    }

    /// Sends `request` and completes with its response (fails if the connection ends first).
    func send(_ request: LoopbackRequest) -> EventLoopFuture<LoopbackResponse> {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: LoopbackResponse.self)
        loop.execute { [self] in
            guard channel.isActive else {
                promise.fail(LoopbackConnectionClosed())
                return
            }
            handler.value.expect(promise)
            var headers = HTTPHeaders(request.headers)
            if !headers.contains(name: "Host") { headers.add(name: "Host", value: "127.0.0.1") }
            headers.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
            var buffer = channel.allocator.buffer(capacity: request.body.count)
            buffer.writeBytes(request.body)
            channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: request.method,
                                                                     uri: request.uri, headers: headers)), promise: nil)
            if !request.body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(buffer)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }
        return promise.futureResult
    }

    /// Closes the connection.
    func close() { channel.close(promise: nil) }
}

/// Collects one response at a time and completes the waiting promise.
final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var promise: EventLoopPromise<LoopbackResponse>?
    private var head: HTTPResponseHead?
    private var started = DispatchTime.now().uptimeNanoseconds

    func expect(_ promise: EventLoopPromise<LoopbackResponse>) {
        self.promise = promise
        head = nil
        started = DispatchTime.now().uptimeNanoseconds
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body:
            break
        case .end:
            guard let promise, let head else { return }
            self.promise = nil
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            promise.succeed(LoopbackResponse(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) },
                                             elapsedMs: elapsed, keepAlive: head.isKeepAlive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise?.fail(LoopbackConnectionClosed())
        promise = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise?.fail(error)
        promise = nil
        context.close(promise: nil)
    }
}
