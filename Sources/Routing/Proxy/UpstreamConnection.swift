import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection to an upstream instance, owned by an ``UpstreamPool``.
///
/// The only handler of the upstream channel's pipeline: it writes the serialised request
/// (``HTTPMessageWriter``) and parses the response itself (``UpstreamResponseParser``). While it
/// serves a request it hands every response part straight to the client connection's
/// ``ProxyConnectionHandler`` (same event loop, no hop, no copy); while idle it sits in its pool,
/// and any byte or close from the upstream evicts it.
final class UpstreamConnection: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    let pool: UpstreamPool
    private var context: ChannelHandlerContext?
    private var channel: (any Channel)?
    /// The client connection being served, or `nil` while idle.
    var exchange: ProxyConnectionHandler?
    /// In the pool's idle list.
    var isIdle = false
    var idleSince = NIODeadline.now()
    private(set) var isClosed = false
    private var readPending = false
    private var lastError: (any Error)?
    private var parser = UpstreamResponseParser()

    init(pool: UpstreamPool) {
        self.pool = pool
    }

    /// Open and not closing.
    var isUsable: Bool { !isClosed }

    var isWritable: Bool { channel?.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.channel = context.channel
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A channel closed before it was fully active (NIO's pre-activation window right after the
        // connect future completes) reports no channelInactive.
        markClosed()
        self.context = nil
        self.channel = nil
    }

    func channelUnregistered(context: ChannelHandlerContext) {
        markClosed()
        context.fireChannelUnregistered()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard exchange != nil else {
            // An idle connection must stay silent (a late 408 or garbage): evict it.
            context.close(promise: nil)
            return
        }
        var buffer = Self.unwrapInboundIn(data)
        do {
            // Part by part: delivering one may end the exchange, re-use or close this connection.
            while let part = try parser.next(&buffer) {
                guard let exchange else {
                    // Bytes after the end of the response, or a close meanwhile.
                    if buffer.readableBytes > 0 || parser.hasQueuedEnd { context.close(promise: nil) }
                    return
                }
                exchange.upstreamReceived(part, from: self)
            }
        } catch {
            lastError = error  // a parse error wins over an I/O error seen before it
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        exchange?.upstreamReadComplete(from: self)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        exchange?.upstreamWritabilityChanged(from: self)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if exchange != nil {
            do {
                // A close-delimited body ends here; a response cut short is an error.
                if try parser.endOfInput() { exchange?.upstreamReceived(.end(nil), from: self) }
            } catch {
                lastError = error
            }
        }
        markClosed()
    }

    private func markClosed() {
        guard !isClosed else { return }
        isClosed = true
        pool.connectionClosed(self)
        if let exchange {
            self.exchange = nil
            exchange.upstreamClosed(self, error: lastError)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A parser error means response bytes arrived (possibly only at EOF, when the decoder finds
        // a partial message): it wins over the I/O error that usually precedes it.
        if lastError == nil || error is HTTPParserError { lastError = error }
        context.close(promise: nil)
    }

    /// Holds reads while the client cannot take more data (backpressure towards the upstream).
    func read(context: ChannelHandlerContext) {
        if let exchange, !exchange.clientIsWritable {
            readPending = true
        } else {
            context.read()
        }
    }

    var debugState: String {
        "exchange=\(exchange != nil) idle=\(isIdle) closed=\(isClosed) readPending=\(readPending) active=\(channel?.isActive ?? false)"
    }

    func resumeReading() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }

    /// Writes a serialised request head and expects its response (`isHead`: a HEAD request, whose
    /// response has no body).
    func writeHead(_ head: ByteBuffer, isHead: Bool) {
        parser.expectResponse(toHead: isHead)
        context?.write(Self.wrapOutboundOut(.byteBuffer(head)), promise: nil)
    }

    /// The bytes of the response head just delivered, when they may be forwarded untouched.
    func takeRawResponseHead() -> UpstreamResponseParser.RawHead? { parser.takeRawHead() }

    /// Writes one request body part (chunk-framed when `chunked`).
    @inline(__always)
    func writeBody(_ part: ByteBuffer, chunked: Bool) {
        guard let context else { return }
        HTTPMessageWriter.writeBody(part, chunked: chunked, allocator: context.channel.allocator, context: context)
    }

    /// Ends the request body: the last chunk (and trailers) when chunked, else nothing.
    func writeEnd(chunked: Bool, trailers: HTTPHeaders?) {
        guard let context,
              let end = HTTPMessageWriter.end(chunked: chunked, trailers: trailers, allocator: context.channel.allocator)
        else { return }
        context.write(Self.wrapOutboundOut(.byteBuffer(end)), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    /// Closes the connection (idempotent). `channelInactive` follows, possibly synchronously:
    /// detach the exchange first.
    func close() {
        guard !isClosed, let context else { return }
        context.close(promise: nil)
    }
}
