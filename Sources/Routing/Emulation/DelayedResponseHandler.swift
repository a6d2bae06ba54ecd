import NIOCore
import NIOHTTP1

/// Answers each request of a connection after the delay its ``EndpointBehaviour`` plans, one at
/// a time (NIO's pipelining handler queues the next request until the response has ended).
///
/// When its server stops, an idle connection closes at once and a busy one right after its
/// answer; a request arriving on a stopped server gets no answer (the connection closes).
final class DelayedResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Sent through the pipeline when the server stops.
    struct StopEvent: Sendable {}

    private let server: LoopbackHTTPServer
    private let behaviour: EndpointBehaviour
    private var head: HTTPRequestHead?
    private var busy = false
    private var stopping = false

    init(server: LoopbackHTTPServer, behaviour: @escaping EndpointBehaviour) {
        self.server = server
        self.behaviour = behaviour
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let h):
            head = h
            if stopping || server.isStopped { context.close(promise: nil) }
        case .body:
            break
        case .end:
            guard let h = head, !stopping, !server.isStopped,
                  let answer = behaviour(h.uri, h.headers.map { ($0.name, $0.value) }) else {
                context.close(promise: nil)
                return
            }
            head = nil
            busy = true
            let keepAlive = h.isKeepAlive, version = h.version
            let delay = TimeAmount.nanoseconds(Int64((answer.delayMs * 1e6).rounded()))
            context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
                respond(context: context, answer: answer, keepAlive: keepAlive, version: version)
            }
        }
    }

    private func respond(context: ChannelHandlerContext, answer: EndpointAnswer, keepAlive: Bool, version: HTTPVersion) {
        busy = false
        guard context.channel.isActive else {
            answer.onSent()
            return
        }
        let close = !keepAlive || stopping || server.isStopped
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "Content-Length", value: "3")
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        if close { headers.add(name: "Connection", value: "close") }
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "ok\n")))), promise: nil)
        let written = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        answer.onSent()
        if close {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is StopEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        stopping = true
        if !busy { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
