import NIOCore
import NIOHTTP1

/// Serialises responses to the client straight into `ByteBuffer`s.
///
/// The client pipeline has no NIO response encoder: the proxy decides the framing itself
/// (see ``ForwardingHeaders/clientResponse(_:clientVersion:noBody:forceClose:)``), so it writes
/// the head, the body buffers (as received, or inside chunk framing) and the terminator directly,
/// saving a pipeline hop and a boxed message per part.
enum ProxyResponseWriter {
    private static let crlf = ByteBuffer(string: "\r\n")
    private static let lastChunk = ByteBuffer(string: "0\r\n\r\n")

    /// Status line and header block.
    static func head(_ head: HTTPResponseHead, allocator: ByteBufferAllocator) -> ByteBuffer {
        let reason = head.status.reasonPhrase
        var size = 32 + reason.utf8.count
        for (name, value) in head.headers { size += name.utf8.count + value.utf8.count + 4 }
        var buffer = allocator.buffer(capacity: size)
        if head.version.major == 1 && head.version.minor == 0 {
            buffer.writeStaticString("HTTP/1.0 ")
        } else {
            buffer.writeStaticString("HTTP/1.1 ")
        }
        if head.status == .ok {
            buffer.writeStaticString("200 OK\r\n")
        } else {
            buffer.writeString(String(head.status.code))
            buffer.writeStaticString(" ")
            buffer.writeString(reason)
            buffer.writeStaticString("\r\n")
        }
        for (name, value) in head.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        return buffer
    }

    /// Writes one body part, chunk-framed when `chunked` (empty parts are skipped: an empty chunk
    /// would end the body).
    @inline(__always)
    static func writeBody(_ part: ByteBuffer, chunked: Bool, allocator: ByteBufferAllocator, context: ChannelHandlerContext) {
        guard chunked else {
            context.write(NIOAny(IOData.byteBuffer(part)), promise: nil)
            return
        }
        guard part.readableBytes > 0 else { return }
        var prefix = allocator.buffer(capacity: 12)
        prefix.writeString(String(part.readableBytes, radix: 16))
        prefix.writeStaticString("\r\n")
        context.write(NIOAny(IOData.byteBuffer(prefix)), promise: nil)
        context.write(NIOAny(IOData.byteBuffer(part)), promise: nil)
        context.write(NIOAny(IOData.byteBuffer(crlf)), promise: nil)
    }

    /// The bytes that end a body: the last chunk (with trailers) when chunked, else nothing.
    static func end(chunked: Bool, trailers: HTTPHeaders?, allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard chunked else { return nil }
        guard let trailers, !trailers.isEmpty else { return lastChunk }
        var buffer = allocator.buffer(capacity: 64)
        buffer.writeStaticString("0\r\n")
        for (name, value) in trailers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        return buffer
    }
}
