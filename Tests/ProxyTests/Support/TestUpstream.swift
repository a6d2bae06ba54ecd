import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Routing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A scriptable HTTP/1.1 upstream on 127.0.0.1 with an ephemeral port, for the proxy tests.
///
/// Behaviour by path (query `?ms=`, `?n=`):
/// - `/echo`: 200, body = request body; `X-Method`, `X-URI`, `X-Body-Bytes` headers.
/// - `/headers`: 200, body = the request headers as `name: value` lines.
/// - `/status/N`: status N (no body for 204/304), `X-Status-Test: yes`.
/// - `/chunked`: chunked response in three parts with a flush between them.
/// - `/close-delimited`: a body delimited by closing the connection (no length, not chunked).
/// - `/big?n=N`: N bytes of body with Content-Length.
/// - `/hop`: a response carrying hop-by-hop headers.
/// - `/slow?ms=N`: answers after N ms.
/// - `/reset`: resets the connection after reading the request, sending nothing.
/// - `/partial-reset`: sends half a status line and header, then resets.
/// - `/mid-reset`: sends the head and part of the body, then resets.
/// - `/reset-on/NAME`: resets if this upstream is NAME, else like `/echo`.
/// - anything else: 200 with body `NAME`.
/// Every response carries `X-Upstream: NAME`.
final class TestUpstream: Sendable {
    struct Stats: Sendable {
        var accepted = 0
        var open = 0
        var requests = 0
    }

    let name: String
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let statsBox: NIOLockedValueBox<Stats>
    private let children: NIOLockedValueBox<[ObjectIdentifier: any Channel]>

    var stats: Stats { statsBox.withLockedValue { $0 } }
    var upstream: Upstream { .init(id: UpstreamID(name), host: "127.0.0.1", port: port) }

    private init(name: String, port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel,
                 stats: NIOLockedValueBox<Stats>, children: NIOLockedValueBox<[ObjectIdentifier: any Channel]>) {
        self.name = name
        self.port = port
        self.group = group
        self.channel = channel
        self.statsBox = stats
        self.children = children
    }

    static func start(name: String) async throws -> TestUpstream {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let stats = NIOLockedValueBox(Stats())
        let children = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                children.withLockedValue { $0[ObjectIdentifier(channel)] = channel }
                channel.closeFuture.whenComplete { _ in
                    _ = children.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(TestUpstreamHandler(name: name, stats: stats))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestUpstream(name: name, port: channel.localAddress!.port!, group: group, channel: channel,
                            stats: stats, children: children)
    }

    /// Stops listening and closes every connection (the instance "dies").
    func kill() async {
        try? await channel.close()
        let open = children.withLockedValue { Array($0.values) }
        for child in open { try? await child.close() }
        try? await group.shutdownGracefully()
    }

    func stop() async { await kill() }
}

private final class TestUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let name: String
    private let stats: NIOLockedValueBox<TestUpstream.Stats>
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(name: String, stats: NIOLockedValueBox<TestUpstream.Stats>) {
        self.name = name
        self.stats = stats
    }

    func channelActive(context: ChannelHandlerContext) {
        stats.withLockedValue {
            $0.accepted += 1
            $0.open += 1
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stats.withLockedValue { $0.open -= 1 }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            stats.withLockedValue { $0.requests += 1 }
            respond(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext) {
        guard let head else { return }
        let (path, query) = split(head.uri)
        var headers = HTTPHeaders([("X-Upstream", name)])
        let fixedHeaders = headers
        switch path {
        case "/echo":
            headers.add(name: "X-Method", value: head.method.rawValue)
            headers.add(name: "X-URI", value: head.uri)
            headers.add(name: "X-Body-Bytes", value: String(body.readableBytes))
            send(context, .ok, headers, body: body, isHead: head.method == .HEAD)
        case "/headers":
            var text = ""
            for (name, value) in head.headers { text += "\(name.lowercased()): \(value)\n" }
            send(context, .ok, headers, body: ByteBuffer(string: text))
        case _ where path.hasPrefix("/status/"):
            let code = Int(path.dropFirst("/status/".count)) ?? 500
            headers.add(name: "X-Status-Test", value: "yes")
            let status = HTTPResponseStatus(statusCode: code)
            if code == 204 || code == 304 {
                if code == 304 { headers.add(name: "ETag", value: "\"v1\"") }
                context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                              promise: nil)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                send(context, status, headers, body: ByteBuffer(string: "status \(code)"))
            }
        case "/chunked":
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                          promise: nil)
            for piece in ["part1-", "part2-", "part3"] {
                context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: piece)))), promise: nil)
            }
            var trailers = HTTPHeaders()
            trailers.add(name: "X-Trailer", value: "done")
            context.writeAndFlush(Self.wrapOutboundOut(.end(trailers)), promise: nil)
        case "/close-delimited":
            writeRaw(context, "HTTP/1.1 200 OK\r\nX-Upstream: \(name)\r\nConnection: close\r\n\r\nuntil-close-body")
            context.close(promise: nil)
        case "/big":
            let count = Int(query["n"] ?? "0") ?? 0
            headers.add(name: "Content-Length", value: String(count))
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                          promise: nil)
            var body = patternBuffer(count: count)
            while body.readableBytes > 0 {
                let chunk = body.readSlice(length: min(body.readableBytes, 65536))!
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
            }
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        case "/hop":
            headers.add(name: "Connection", value: "X-Custom-Hop")
            headers.add(name: "X-Custom-Hop", value: "secret")
            headers.add(name: "Keep-Alive", value: "timeout=5")
            headers.add(name: "Proxy-Connection", value: "keep-alive")
            headers.add(name: "Trailer", value: "X-Nothing")
            headers.add(name: "X-End-To-End", value: "kept")
            send(context, .ok, headers, body: ByteBuffer(string: "hop"))
        case "/slow":
            let delay = Int64(query["ms"] ?? "0") ?? 0
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(delay)) {
                let (handler, context) = loopBound.value
                handler.send(context, .ok, fixedHeaders, body: ByteBuffer(string: "slow"))
            }
        case "/reset":
            reset(context)
        case "/partial-reset":
            writeRaw(context, "HTTP/1.1 200 OK\r\nContent-Le")
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(20)) { Self.resetNow(loopBound.value) }
        case "/mid-reset":
            headers.add(name: "Content-Length", value: "100000")
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                          promise: nil)
            context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: 0x61, count: 1000)))),
                                  promise: nil)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(20)) { Self.resetNow(loopBound.value) }
        case _ where path.hasPrefix("/reset-on/"):
            if path.dropFirst("/reset-on/".count) == name {
                reset(context)
            } else {
                send(context, .ok, headers, body: ByteBuffer(string: name))
            }
        default:
            send(context, .ok, headers, body: ByteBuffer(string: name), isHead: head.method == .HEAD)
        }
    }

    private func send(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ headers: HTTPHeaders,
                      body: ByteBuffer, isHead: Bool = false) {
        var headers = headers
        if !headers.contains(name: "content-length") {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                      promise: nil)
        if !isHead && body.readableBytes > 0 {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Writes bytes below the HTTP encoder.
    private func writeRaw(_ context: ChannelHandlerContext, _ text: String) {
        guard let encoderContext = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
        else { return }
        encoderContext.writeAndFlush(NIOAny(IOData.byteBuffer(ByteBuffer(string: text))), promise: nil)
    }

    private func reset(_ context: ChannelHandlerContext) {
        Self.resetNow(context)
    }

    private static func resetNow(_ context: ChannelHandlerContext) {
        _ = (context.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        context.close(promise: nil)
    }

    private func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            query[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return (String(uri[..<mark]), query)
    }
}

/// `count` bytes where byte i is `i % 251` (built by doubling, fast even in debug builds).
func patternBuffer(count: Int) -> ByteBuffer {
    var buffer = ByteBuffer(bytes: (0..<251).map { UInt8($0) })
    while buffer.readableBytes < count {
        var copy = buffer
        buffer.writeBuffer(&copy)
    }
    return buffer.getSlice(at: buffer.readerIndex, length: count)!
}
