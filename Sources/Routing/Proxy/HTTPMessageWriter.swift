import NIOCore
import NIOHTTP1

/// Serialises HTTP/1.1 messages straight into `ByteBuffer`s: responses to clients and requests
/// to upstreams.
///
/// Neither pipeline has a NIO encoder: the proxy decides the framing itself (see
/// ``ForwardingHeaders/clientResponse(_:clientVersion:noBody:forceClose:)`` and
/// ``ForwardingHeaders/upstreamRequest(_:facts:clientIP:uri:host:fallbackHost:allocator:)``), so
/// it writes the head, the body buffers (as received, or inside chunk framing) and the terminator
/// directly, saving a pipeline hop and a boxed message per part.
enum HTTPMessageWriter {
    private static let crlf = ByteBuffer(string: "\r\n")
    private static let lastChunk = ByteBuffer(string: "0\r\n\r\n")

    /// Request line and header block of an upstream request.
    static func requestHead(method: HTTPMethod, uri: String, fields: [(String, String)],
                            allocator: ByteBufferAllocator) -> ByteBuffer {
        let methodName = method.rawValue
        var size = 16 + methodName.utf8.count + uri.utf8.count
        for (name, value) in fields { size += name.utf8.count + value.utf8.count + 4 }
        var buffer = allocator.buffer(capacity: size)
        buffer.writeString(methodName)
        buffer.writeStaticString(" ")
        buffer.writeString(uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        for (name, value) in fields { writeField(name, value, into: &buffer) }
        buffer.writeStaticString("\r\n")
        return buffer
    }

    @inline(__always)
    private static func writeField(_ name: String, _ value: String, into buffer: inout ByteBuffer) {
        buffer.writeString(name)
        buffer.writeStaticString(": ")
        buffer.writeString(value)
        buffer.writeStaticString("\r\n")
    }

    /// Status line and header block of a response to the client.
    static func responseHead(_ head: HTTPResponseHead, allocator: ByteBufferAllocator) -> ByteBuffer {
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
        for (name, value) in head.headers { writeField(name, value, into: &buffer) }
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
        for (name, value) in trailers { writeField(name, value, into: &buffer) }
        buffer.writeStaticString("\r\n")
        return buffer
    }
}
