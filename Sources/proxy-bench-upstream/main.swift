// proxy-bench-upstream: a trivial HTTP/1.1 upstream for proxy benchmarks and fault runs.
//
// Usage: proxy-bench-upstream [--host 127.0.0.1] [--port 0] [--threads N] [--name s1]
//
// Prints `listening HOST:PORT` on stdout once bound. Every request gets `200 OK` with an
// `X-Upstream: NAME` header; a request with a body gets its body echoed back, any other request
// the fixed body `Hello, World!`. Keep-alive and pipelining are supported.

import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var host = "127.0.0.1"
    var port = 0
    var threads = System.coreCount
    var name = "upstream"

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            func value() -> String {
                guard let next = iterator.next() else {
                    fatalError("missing value for \(argument)")
                }
                return next
            }
            switch argument {
            case "--host": options.host = value()
            case "--port": options.port = Int(value()) ?? 0
            case "--threads": options.threads = max(1, Int(value()) ?? 1)
            case "--name": options.name = value()
            case "-h", "--help":
                print("usage: proxy-bench-upstream [--host H] [--port P] [--threads N] [--name NAME]")
                exit(0)
            default:
                fatalError("unknown argument \(argument)")
            }
        }
        return options
    }
}

/// Answers every request on the connection; echoes request bodies.
final class BenchUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let fixedBody: ByteBuffer
    private let name: String
    private var keepAlive = true
    private var body: ByteBuffer?
    private var version = HTTPVersion.http1_1
    private var isHead = false

    init(name: String) {
        self.name = name
        self.fixedBody = ByteBuffer(string: "Hello, World!")
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.keepAlive = head.isKeepAlive
            self.version = head.version
            self.isHead = head.method == .HEAD
            self.body = nil
        case .body(var part):
            if self.body == nil {
                self.body = part
            } else {
                self.body!.writeBuffer(&part)
            }
        case .end:
            let payload = self.body ?? self.fixedBody
            self.body = nil
            var headers = HTTPHeaders()
            headers.reserveCapacity(4)
            headers.add(name: "Content-Type", value: "text/plain")
            headers.add(name: "Content-Length", value: String(payload.readableBytes))
            headers.add(name: "X-Upstream", value: self.name)
            if !self.keepAlive {
                headers.add(name: "Connection", value: "close")
            }
            let head = HTTPResponseHead(version: self.version, status: .ok, headers: headers)
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
            if !self.isHead {
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(payload))), promise: nil)
            }
            if self.keepAlive {
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).whenComplete { _ in
                    loopBoundContext.value.close(promise: nil)
                }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

let options = Options.parse(CommandLine.arguments)
let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
let name = options.name
let bootstrap = ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(BenchUpstreamHandler(name: name))
        }
    }

let channel = try bootstrap.bind(host: options.host, port: options.port).wait()
guard let port = channel.localAddress?.port else { fatalError("no local address") }
let line = "listening \(options.host):\(port)\n"
_ = line.withCString { write(1, $0, strlen($0)) }
try channel.closeFuture.wait()
