import Logging
import NIOCore
import NIOHTTP1

/// Serves one client connection: parses nothing itself (NIO's decoder sits before it), routes each
/// request, forwards it over a pooled upstream connection on the same event loop and streams the
/// response back. Pipelined requests are queued (and reading paused) until the response before
/// them has ended, so the common non-pipelined case never stops and restarts reading.
///
/// All state is per connection and touched only on its event loop. Request and response bodies
/// pass through as the `ByteBuffer` slices NIO decoded; flushes are batched per read.
///
/// Per request: ``ProxyRouter/route(service:excluding:)`` once (twice on a retry), and
/// ``ProxyRouter/record(_:)`` once per attempt.
final class ProxyConnectionHandler: ChannelDuplexHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Phase {
        /// Waiting for a request head.
        case idle
        /// Answering locally; remaining request body parts are discarded.
        case local
        /// Forwarding to an upstream.
        case forwarding
        /// No more requests: the connection is closing (or lingering to drain input).
        case closed
    }

    private let loop: ProxyLoopContext
    private let configuration: ProxyConfiguration
    private var context: ChannelHandlerContext?
    private var channel: (any Channel)?
    private var allocator = ByteBufferAllocator()
    private var clientIP = "unknown"
    private var phase = Phase.idle
    private var registered = false

    // Timers: one lazily re-armed callback covers the request deadline, the idle timeout and the
    // lingering close.
    private var timer: NIOScheduledCallback?
    private var timerDeadline = NIODeadline.distantFuture
    private var lastActivity = NIODeadline.now()
    private var requestDeadline = NIODeadline.distantFuture
    private var lingerDeadline: NIODeadline?

    // Client read pausing (backpressure towards the client).
    private var readPending = false

    // Pipelining: parts of requests that arrived while an earlier response was still pending.
    private var pipelined = CircularBuffer<HTTPServerRequestPart>()
    private var pendingParseError: HTTPParserError?
    private var draining = false

    // The current request.
    private var service = ""
    private var stats: ProxyLoopMetrics.ServiceStats?
    /// The serialised request head for the upstream (rewritten for a retry).
    private var forwardHead: ByteBuffer?
    private var isHeadRequest = false
    private var idempotent = false
    private var clientKeepAlive = true
    private var clientVersion = HTTPVersion.http1_1
    private var requestComplete = false
    private var requestBytes = 0
    private var pendingBody = CircularBuffer<ByteBuffer>()
    private var pendingBytes = 0
    private var replay: [ByteBuffer] = []
    private var replayBytes = 0
    private var replayable = false
    private var expectContinue = false
    private var requestChunked = false
    private var localResponseSent = false
    private var cachedStats: ProxyLoopMetrics.ServiceStats?
    private var cachedPool: UpstreamPool?
    private var localToken: UInt64 = 0

    // The current attempt.
    private var attempt = 0
    private var attemptToken: UInt64 = 0
    private var currentUpstream: Upstream?
    private var connection: UpstreamConnection?
    private var reusedConnection = false
    private var attemptStart = NIODeadline.now()
    private var requestSent = false
    private var requestEndSent = false
    private var responseBytesSeen = false
    private var responseHeadMs: Double?
    private var responseStatus: Int?
    private var responseStarted = false
    private var responseBytes = 0
    private var upstreamKeepAlive = true
    private var closeAfterResponse = false
    private var chunkedToClient = false
    private var needsClientFlush = false
    private var needsUpstreamFlush = false

    init(loop: ProxyLoopContext) {
        self.loop = loop
        self.configuration = loop.configuration
    }

    // MARK: - Channel lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.channel = context.channel
        self.allocator = context.channel.allocator
        if context.channel.isActive { activate(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context: context)
        context.fireChannelActive()
    }

    private func activate(context: ChannelHandlerContext) {
        guard !registered else { return }
        registered = true
        if let ip = context.channel.remoteAddress?.ipAddress { clientIP = ip }
        loop.clientOpened(self)
        lastActivity = .now()
        arm(at: lastActivity + configuration.clientIdleTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if phase == .forwarding {
            abortAttempt(reportAs: .clientAborted)
            finishInFlight()
        } else if phase == .local {
            localToken &+= 1
        }
        phase = .closed
        resetRequest()
        teardown()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        teardown()
        self.context = nil
        self.channel = nil
    }

    private func teardown() {
        timer?.cancel()
        timer = nil
        timerDeadline = .distantFuture
        if registered {
            registered = false
            loop.clientClosed(self)
        }
    }

    /// Closes the client connection (server shutdown).
    func closeConnection() {
        context?.close(promise: nil)
    }

    // MARK: - Inbound: the request

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        if phase == .closed { return }
        if !pipelined.isEmpty {
            pipelined.append(part)
            return
        }
        if case .head = part, phase != .idle {
            // Pipelined: wait until the current response has ended (reading pauses meanwhile).
            pipelined.append(part)
            return
        }
        dispatch(part, context: context)
    }

    private func dispatch(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head): receivedHead(head, context: context)
        case .body(let part): receivedBody(part)
        case .end(let trailers): receivedEnd(trailers)
        }
    }

    /// Feeds queued pipelined parts once the connection is idle again (not re-entrant).
    private func drainPipelined() {
        guard !draining, let context else { return }
        draining = true
        defer { draining = false }
        while let next = pipelined.first {
            if phase == .closed {
                pipelined.removeAll()
                break
            }
            if case .head = next, phase != .idle { break }
            pipelined.removeFirst()
            dispatch(next, context: context)
        }
        if needsUpstreamFlush {
            // Parts replayed from the queue see no channelReadComplete.
            needsUpstreamFlush = false
            connection?.flush()
        }
        if pipelined.isEmpty, phase == .idle, let error = pendingParseError {
            pendingParseError = nil
            parseError(error, context: context)
        }
        resumeClientReadsIfPossible()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsUpstreamFlush {
            needsUpstreamFlush = false
            connection?.flush()
        }
    }

    private func receivedHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard phase == .idle else {
            // Only possible after we stopped accepting requests on this connection.
            return
        }
        let now = NIODeadline.now()
        lastActivity = now
        clientKeepAlive = head.isKeepAlive
        clientVersion = head.version.minor == 0 && head.version.major == 1 ? .http1_0 : .http1_1
        isHeadRequest = head.method == .HEAD
        requestComplete = false
        requestBytes = 0

        if head.method == .CONNECT {
            reject(.methodNotAllowed, status: .methodNotAllowed, body: "CONNECT is not supported by this proxy\n",
                   close: true)
            return
        }

        let facts = ProxyRequestFacts(head.headers)
        expectContinue = facts.expectContinue
        let serviceHeader = facts.service
        if serviceHeader == nil && configuration.serveAdminEndpoints && head.uri.utf8.first == UInt8(ascii: "/") {
            if head.uri == "/healthz" {
                sendLocal(status: .ok, body: "ok\n")
                return
            }
            if head.uri == "/metrics" {
                serveMetrics(context: context)
                return
            }
        }

        let absoluteAuthority = head.uri.utf8.first == UInt8(ascii: "/") ? nil : ProxyServiceName.authority(ofAbsoluteURI: head.uri)
        let host = absoluteAuthority.map(String.init) ?? facts.host
        switch ProxyServiceName.resolve(serviceHeader: serviceHeader, host: host) {
        case .service(let name):
            service = name
        case .ipHost(let value):
            reject(.ipHost, status: .badRequest,
                   body: "400 Bad Request: the Host \"\(value)\" is an IP address, which names no service; "
                       + "send an X-Service header or use the service's DNS name as Host\n")
            return
        case .missing:
            reject(.badRequest, status: .badRequest,
                   body: "400 Bad Request: no service named: send an X-Service header or a Host header\n")
            return
        case .invalidHost(let value):
            reject(.badRequest, status: .badRequest, body: "400 Bad Request: cannot take a service name from Host \"\(value)\"\n")
            return
        }

        if let length = facts.contentLength, let bytes = Int(length),
            bytes > configuration.maxBodyBytes
        {
            reject(.bodyTooLarge, status: .payloadTooLarge,
                   body: "413 Payload Too Large: the body exceeds \(configuration.maxBodyBytes) bytes\n", close: true)
            return
        }

        let decision = loop.router.route(service: service, excluding: [])
        let upstream: Upstream
        switch decision {
        case .upstream(let chosen):
            upstream = chosen
        case .unknownService:
            reject(.unknownService, status: .notFound, body: "404 Not Found: unknown service \"\(service)\"\n")
            return
        case .noInstance(let retryAfter):
            reject(.noInstance, status: .serviceUnavailable,
                   body: "503 Service Unavailable: no instance of service \"\(service)\" can take the request now\n",
                   extraHeaders: [("Retry-After", String(max(0, retryAfter)))])
            return
        }

        requestChunked = facts.chunked
        forwardHead = ForwardingHeaders.upstreamRequest(
            head, facts: facts, clientIP: clientIP,
            uri: absoluteAuthority != nil ? ProxyServiceName.originForm(of: head.uri) : head.uri, host: host,
            fallbackHost: service, allocator: allocator)
        let method = head.method
        idempotent = method == .GET || method == .HEAD || method == .OPTIONS || method == .PUT || method == .DELETE
            || method == .TRACE
        replayable = idempotent
        phase = .forwarding
        let stats: ProxyLoopMetrics.ServiceStats
        if let cached = cachedStats, cached.name == service {
            stats = cached
        } else {
            stats = loop.metrics.service(service, router: loop.router)
            cachedStats = stats
        }
        self.stats = stats
        loop.metrics.inFlight += 1
        requestDeadline = now + stats.totalTimeout(default: configuration.totalTimeout, router: loop.router, service: service)
        arm(at: requestDeadline)
        startAttempt(upstream, now: now)
    }

    private func receivedBody(_ part: ByteBuffer) {
        let count = part.readableBytes
        requestBytes += count
        switch phase {
        case .forwarding:
            if requestBytes > configuration.maxBodyBytes {
                bodyTooLarge()
                return
            }
            if let connection, requestSent {
                connection.writeBody(part, chunked: requestChunked)
                keepForReplay(part)
                needsUpstreamFlush = true
            } else {
                pendingBody.append(part)
                pendingBytes += count
            }
        case .local, .closed, .idle:
            if requestBytes > configuration.maxBodyBytes && phase != .closed {
                // Do not drain an unbounded body for a local answer.
                phase = .closed
                context?.close(promise: nil)
            }
        }
    }

    private func receivedEnd(_ trailers: HTTPHeaders?) {
        switch phase {
        case .forwarding:
            requestComplete = true
            if let connection, requestSent {
                connection.writeEnd(chunked: requestChunked, trailers: trailers)
                requestEndSent = true
                // A fixed-length end writes nothing: no flush needed.
                if requestChunked || trailers != nil { needsUpstreamFlush = true }
            }
        case .local:
            requestComplete = true
            if localResponseSent {
                resetRequest()
                phase = .idle
                drainPipelined()
            }
        case .idle, .closed:
            break
        }
    }

    private func keepForReplay(_ part: ByteBuffer) {
        guard replayable else { return }
        replayBytes += part.readableBytes
        if replayBytes > configuration.replayBufferBytes {
            replayable = false
            replay.removeAll()
        } else {
            replay.append(part)
        }
    }

    // MARK: - Attempts

    private func startAttempt(_ upstream: Upstream, now: NIODeadline) {
        attempt += 1
        attemptToken &+= 1
        currentUpstream = upstream
        attemptStart = now
        requestSent = false
        requestEndSent = false
        responseBytesSeen = false
        responseHeadMs = nil
        responseStatus = nil
        responseBytes = 0
        let pool: UpstreamPool
        if let cached = cachedPool, !cached.isRetired, cached.upstream == upstream {
            pool = cached
        } else {
            pool = loop.pool(for: upstream)
            cachedPool = pool
        }
        pool.lastUsed = now
        if let pooled = pool.takeIdle() {
            reusedConnection = true
            attach(pooled)
        } else {
            reusedConnection = false
            let token = attemptToken
            pool.connect { [self] result in
                self.connectFinished(token: token, result: result)
            }
        }
    }

    private func connectFinished(token: UInt64, result: Result<UpstreamConnection, any Error>) {
        switch result {
        case .success(let fresh):
            guard token == attemptToken, phase == .forwarding, connection == nil else {
                // The request went away (or timed out) meanwhile: keep the warm connection.
                fresh.pool.release(fresh)
                return
            }
            attach(fresh)
        case .failure(let error):
            guard token == attemptToken, phase == .forwarding else { return }
            attemptFailed(UpstreamErrorKind.classifyConnect(error))
        }
    }

    private func attach(_ upstreamConnection: UpstreamConnection) {
        connection = upstreamConnection
        upstreamConnection.exchange = self
        if expectContinue && !requestComplete && attempt == 1, let context {
            expectContinue = false
            let interim = HTTPMessageWriter.responseHead(HTTPResponseHead(version: clientVersion, status: .continue),
                                              allocator: allocator)
            context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(interim)), promise: nil)
        }
        guard let forwardHead else { return }
        upstreamConnection.writeHead(forwardHead, isHead: isHeadRequest)
        requestSent = true
        while let part = pendingBody.popFirst() {
            upstreamConnection.writeBody(part, chunked: requestChunked)
            keepForReplay(part)
        }
        pendingBytes = 0
        if requestComplete {
            upstreamConnection.writeEnd(chunked: requestChunked, trailers: nil)
            requestEndSent = true
        }
        needsUpstreamFlush = false
        resumeClientReadsIfPossible()
        // Last: a failing flush re-enters through upstreamClosed.
        upstreamConnection.flush()
    }

    /// A transport failure of the current attempt: retry once elsewhere when allowed, else 502/504.
    private func attemptFailed(_ kind: UpstreamErrorKind) {
        let failed = currentUpstream
        report(error: kind, now: .now())
        detachConnection(close: true)
        let retryAllowed = attempt == 1 && kind != .timeout && kind != .invalidResponse
            && (!requestSent || (idempotent && replayable && !responseBytesSeen))
        if retryAllowed, let failed,
            case .upstream(let next) = loop.router.route(service: service, excluding: [failed.id]), next.id != failed.id
        {
            stats?.retries += 1
            if requestSent {
                // Replay what was sent, then what has not been sent yet.
                var restored = CircularBuffer<ByteBuffer>(initialCapacity: replay.count + pendingBody.count)
                restored.append(contentsOf: replay)
                restored.append(contentsOf: pendingBody)
                pendingBody = restored
                pendingBytes = pendingBody.reduce(0) { $0 + $1.readableBytes }
                replay.removeAll()
                replayBytes = 0
            }
            startAttempt(next, now: .now())
            return
        }
        let timeoutKinds: Set<UpstreamErrorKind> = [.connectTimeout, .timeout]
        failRequest(timeoutKinds.contains(kind) ? .gatewayTimeout : .badGateway)
    }

    /// Answers 502/504 for the current request (no response byte has been sent).
    private func failRequest(_ status: HTTPResponseStatus) {
        finishInFlight()
        let body = status == .gatewayTimeout
            ? "504 Gateway Timeout: the upstream of service \"\(service)\" did not answer in time\n"
            : "502 Bad Gateway: the upstream of service \"\(service)\" failed\n"
        sendLocal(status: status, body: body, close: !requestComplete)
    }

    /// Forgets the current upstream connection; closes it unless it may be reused.
    private func detachConnection(close: Bool) {
        attemptToken &+= 1  // ignore a connect still in progress
        guard let upstreamConnection = connection else { return }
        connection = nil
        upstreamConnection.exchange = nil
        if close { upstreamConnection.close() }
    }

    /// Ends the current attempt because of the client (gone, invalid, too large) or a timeout.
    private func abortAttempt(reportAs kind: UpstreamErrorKind) {
        if currentUpstream != nil && (connection != nil || responseStatus == nil) {
            report(error: kind, now: .now())
        }
        detachConnection(close: true)
    }

    private func finishInFlight() {
        loop.metrics.inFlight -= 1
    }

    private func report(error: UpstreamErrorKind?, now: NIODeadline) {
        guard let upstream = currentUpstream else { return }
        let elapsedMs = responseHeadMs ?? Double((now - attemptStart).nanoseconds) / 1_000_000
        let outcome = UpstreamOutcome(
            service: service, upstream: upstream.id, responseTimeMs: elapsedMs, status: responseStatus, error: error,
            requestBytes: requestBytes, responseBytes: responseBytes, attempt: attempt,
            reusedConnection: reusedConnection)
        loop.router.record(outcome)
        if let stats {
            let label: ProxyOutcomeLabel = error.map { .error($0) } ?? .status((responseStatus ?? 0) / 100)
            stats.count(label, upstream: upstream.id)
            if let headMs = responseHeadMs { stats.observe(seconds: headMs / 1000) }
        }
        if configuration.logRequests {
            loop.logger.debug(
                "request",
                metadata: [
                    "service": "\(service)", "upstream": "\(upstream.id)", "attempt": "\(attempt)",
                    "status": "\(responseStatus.map(String.init) ?? "-")", "error": "\(error?.rawValue ?? "-")",
                    "ms": "\(elapsedMs)", "client": "\(clientIP)",
                ])
        }
    }

    // MARK: - Upstream events (called by UpstreamConnection on this loop)

    var clientIsWritable: Bool { channel?.isWritable ?? false }

    func upstreamReceived(_ part: HTTPClientResponsePart, from upstreamConnection: UpstreamConnection) {
        guard upstreamConnection === connection, phase == .forwarding, let context else { return }
        responseBytesSeen = true
        switch part {
        case .head(let head):
            if head.status.code / 100 == 1 { return }  // informational: not forwarded
            forwardResponseHead(head, context: context)
        case .body(let part):
            responseBytes += part.readableBytes
            HTTPMessageWriter.writeBody(part, chunked: chunkedToClient, allocator: allocator, context: context)
            needsClientFlush = true
        case .end(let trailers):
            completeExchange(trailers: trailers, context: context)
        }
    }

    private func forwardResponseHead(_ upstreamHead: HTTPResponseHead, context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        responseHeadMs = Double((now - attemptStart).nanoseconds) / 1_000_000
        let code = upstreamHead.status.code
        responseStatus = Int(code)
        let noBody = isHeadRequest || code == 204 || code == 304 || code / 100 == 1
        if clientVersion == .http1_1, clientKeepAlive, requestComplete, let raw = connection?.takeRawResponseHead(),
           noBody || raw.hasContentLength {
            // The common case: nothing to change in the head (HTTP/1.1 on both sides, no
            // hop-by-hop fields, length-framed), so its bytes go on as received.
            upstreamKeepAlive = true
            chunkedToClient = false
            closeAfterResponse = false
            responseStarted = true
            loop.metrics.countResponse(Int(code))
            context.write(Self.wrapOutboundOut(.byteBuffer(raw.bytes)), promise: nil)
            needsClientFlush = true
            return
        }
        upstreamKeepAlive = upstreamHead.isKeepAlive
        let (head, framing) = ForwardingHeaders.clientResponse(
            upstreamHead, clientVersion: clientVersion, noBody: noBody,
            forceClose: !clientKeepAlive || !requestComplete)
        chunkedToClient = framing == .chunked
        closeAfterResponse = !clientKeepAlive || !requestComplete || framing == .untilClose
        responseStarted = true
        loop.metrics.countResponse(Int(code))
        context.write(Self.wrapOutboundOut(.byteBuffer(HTTPMessageWriter.responseHead(head, allocator: allocator))),
                      promise: nil)
        needsClientFlush = true
    }

    private func completeExchange(trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        guard let upstreamConnection = connection else { return }
        let now = NIODeadline.now()
        connection = nil
        upstreamConnection.exchange = nil
        report(error: nil, now: now)
        finishInFlight()
        if upstreamKeepAlive && requestEndSent {
            upstreamConnection.pool.release(upstreamConnection)
        } else {
            upstreamConnection.close()
        }
        let close = closeAfterResponse
        let drainInput = !requestComplete
        let end = HTTPMessageWriter.end(chunked: chunkedToClient, trailers: trailers, allocator: allocator)
        resetRequest()
        lastActivity = now
        needsClientFlush = false
        if close {
            phase = .closed
            writeEndAndClose(end, lingering: drainInput, context: context)
        } else {
            phase = .idle
            if let end {
                context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(end)), promise: nil)
            } else {
                context.flush()
            }
            drainPipelined()
        }
    }

    func upstreamReadComplete(from upstreamConnection: UpstreamConnection) {
        if needsClientFlush {
            needsClientFlush = false
            context?.flush()
        }
    }

    func upstreamWritabilityChanged(from upstreamConnection: UpstreamConnection) {
        resumeClientReadsIfPossible()
    }

    func upstreamClosed(_ upstreamConnection: UpstreamConnection, error: (any Error)?) {
        guard upstreamConnection === connection, phase == .forwarding else { return }
        connection = nil
        // The decoder reports a partial message at EOF as a parser error: bytes did arrive.
        if error is HTTPParserError { responseBytesSeen = true }
        if responseStarted {
            // Mid-response: the client cannot be told; close its connection so it sees a truncated reply.
            report(error: UpstreamErrorKind.classifyTransport(error, afterResponseHead: true), now: .now())
            finishInFlight()
            phase = .closed
            resetRequest()
            if needsClientFlush { context?.flush() }
            context?.close(promise: nil)
            return
        }
        attemptFailed(UpstreamErrorKind.classifyTransport(error, afterResponseHead: false))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { connection?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Backpressure towards the client

    private var shouldPauseClientReads: Bool {
        if !pipelined.isEmpty || pendingParseError != nil { return true }
        guard phase == .forwarding, !requestComplete else { return false }
        if pendingBytes > configuration.requestBufferBytes { return true }
        if let connection, !connection.isWritable { return true }
        return false
    }

    func read(context: ChannelHandlerContext) {
        if shouldPauseClientReads {
            readPending = true
        } else {
            context.read()
        }
    }

    private func resumeClientReadsIfPossible() {
        guard readPending, !shouldPauseClientReads, let context else { return }
        readPending = false
        context.read()
    }

    // MARK: - Local answers

    private func reject(_ reason: ProxyRejectReason, status: HTTPResponseStatus, body: String,
                        extraHeaders: [(String, String)] = [], close: Bool = false) {
        loop.metrics.rejected[reason, default: 0] &+= 1
        sendLocal(status: status, body: body, extraHeaders: extraHeaders, close: close)
    }

    /// Writes a complete response generated by the proxy and moves to the next phase.
    private func sendLocal(status: HTTPResponseStatus, body: String, contentType: String = "text/plain; charset=utf-8",
                           extraHeaders: [(String, String)] = [], close: Bool = false) {
        guard let context else { return }
        // A client waiting for `100 Continue` may never send the body it announced: the
        // connection cannot be reused.
        let closing = close || !clientKeepAlive || (expectContinue && !requestComplete)
        var headers = HTTPHeaders()
        headers.reserveCapacity(4 + extraHeaders.count)
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        if closing {
            headers.add(name: "Connection", value: "close")
        } else if clientVersion == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        loop.metrics.countResponse(Int(status.code))
        var bytes = HTTPMessageWriter.responseHead(HTTPResponseHead(version: clientVersion, status: status, headers: headers),
                                        allocator: allocator)
        if !isHeadRequest { bytes.writeString(body) }
        context.write(Self.wrapOutboundOut(.byteBuffer(bytes)), promise: nil)
        let drainInput = !requestComplete
        lastActivity = .now()
        if closing {
            phase = .closed
            resetRequest()
            writeEndAndClose(nil, lingering: drainInput, context: context)
        } else if requestComplete {
            phase = .idle
            resetRequest()
            context.flush()
            drainPipelined()
        } else {
            // The rest of the request body is read and discarded; `.end` returns to idle.
            phase = .local
            localResponseSent = true
            context.flush()
        }
    }

    private func serveMetrics(context: ChannelHandlerContext) {
        guard let registry = loop.registry else {
            sendLocal(status: .serviceUnavailable, body: "shutting down\n")
            return
        }
        phase = .local
        localResponseSent = false
        localToken &+= 1
        let token = localToken
        let router = loop.router
        registry.snapshot(on: context.eventLoop).assumeIsolated().whenComplete { [self] result in
            guard self.phase == .local, self.localToken == token else { return }
            switch result {
            case .success(let snapshot):
                self.sendLocal(status: .ok, body: snapshot.render(router: router),
                               contentType: "text/plain; version=0.0.4; charset=utf-8")
            case .failure:
                self.sendLocal(status: .serviceUnavailable, body: "metrics unavailable\n")
            }
        }
    }

    /// Flushes the last part and closes. With `lingering`, only the output is shut down first and the
    /// input is drained for up to 2 s, so that a client still sending a body reads the response
    /// instead of a reset.
    private func writeEndAndClose(_ end: ByteBuffer?, lingering: Bool, context: ChannelHandlerContext) {
        // An empty write carries the promise that fires once everything before it is written.
        let future = context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(end ?? ByteBuffer())))
        // Bound the wait for a client that reads neither the response nor closes.
        let deadline = NIODeadline.now() + (lingering ? .seconds(2) : configuration.clientIdleTimeout)
        lingerDeadline = deadline
        arm(at: deadline)
        future.assumeIsolated().whenComplete { [weak self] _ in
            guard let self, let context = self.context else { return }
            if lingering {
                context.close(mode: .output, promise: nil)
            } else {
                context.close(promise: nil)
            }
        }
    }

    private func bodyTooLarge() {
        abortAttempt(reportAs: .clientAborted)
        finishInFlight()
        loop.metrics.rejected[.bodyTooLarge, default: 0] &+= 1
        if responseStarted {
            phase = .closed
            resetRequest()
            context?.close(promise: nil)
        } else {
            sendLocal(status: .payloadTooLarge,
                      body: "413 Payload Too Large: the body exceeds \(configuration.maxBodyBytes) bytes\n", close: true)
        }
    }

    // MARK: - Errors

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError {
            let current = phase == .forwarding || phase == .local
            if (current && requestComplete) || !pipelined.isEmpty {
                // The error is about a later, pipelined request: answer it in turn.
                pendingParseError = parserError
                return
            }
            parseError(parserError, context: context)
            return
        }
        if error is ByteToMessageDecoderError { return }  // input after a parse error: already closing
        context.close(promise: nil)
    }

    private func parseError(_ parserError: HTTPParserError, context: ChannelHandlerContext) {
        let tooLarge = parserError == .headerOverflow
        let status: HTTPResponseStatus = tooLarge ? .requestHeaderFieldsTooLarge : .badRequest
        let reason: ProxyRejectReason = tooLarge ? .headerTooLarge : .badRequest
        let body = tooLarge
            ? "431 Request Header Fields Too Large: the request head exceeds \(configuration.maxHeaderBytes) bytes\n"
            : "400 Bad Request: malformed HTTP request\n"
        switch phase {
        case .idle:
            isHeadRequest = false
            reject(reason, status: status, body: body, close: true)
        case .forwarding where !responseStarted:
            abortAttempt(reportAs: .clientAborted)
            finishInFlight()
            reject(reason, status: status, body: body, close: true)
        case .forwarding:
            abortAttempt(reportAs: .clientAborted)
            finishInFlight()
            phase = .closed
            resetRequest()
            context.close(promise: nil)
        case .local:
            // A broken body after (or while preparing) a local answer: nothing more to say.
            phase = .closed
            localToken &+= 1
            context.close(promise: nil)
        case .closed:
            break
        }
    }

    // MARK: - Timer

    /// Makes sure the timer fires no later than `deadline` (it is re-armed lazily when it fires early).
    private func arm(at deadline: NIODeadline) {
        if timer != nil && timerDeadline <= deadline { return }
        timer?.cancel()
        guard let context else { return }
        timerDeadline = deadline
        timer = try? context.eventLoop.assumeIsolated().scheduleCallback(at: deadline, handler: self)
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        timer = nil
        timerDeadline = .distantFuture
        guard let context else { return }
        let now = NIODeadline.now()
        switch phase {
        case .forwarding:
            if now >= requestDeadline {
                requestTimedOut(context: context)
            } else {
                arm(at: requestDeadline)
            }
        case .idle, .local:
            let idleDeadline = lastActivity + configuration.clientIdleTimeout
            if now >= idleDeadline {
                phase = .closed
                context.close(promise: nil)
            } else {
                arm(at: idleDeadline)
            }
        case .closed:
            if let lingerDeadline {
                if now >= lingerDeadline { context.close(promise: nil) } else { arm(at: lingerDeadline) }
            }
        }
    }

    private func requestTimedOut(context: ChannelHandlerContext) {
        abortAttempt(reportAs: .timeout)
        if responseStarted {
            finishInFlight()
            phase = .closed
            resetRequest()
            context.close(promise: nil)
        } else {
            failRequest(.gatewayTimeout)
        }
    }

    // MARK: - Reset

    private func resetRequest() {
        service = ""
        stats = nil
        forwardHead = nil
        isHeadRequest = false
        idempotent = false
        pendingBody.removeAll(keepingCapacity: pendingBody.capacity <= 16)
        pendingBytes = 0
        replay.removeAll(keepingCapacity: replay.capacity <= 16)
        replayBytes = 0
        replayable = false
        expectContinue = false
        requestChunked = false
        localResponseSent = false
        attempt = 0
        currentUpstream = nil
        connection = nil
        reusedConnection = false
        requestSent = false
        requestEndSent = false
        responseBytesSeen = false
        responseHeadMs = nil
        responseStatus = nil
        responseStarted = false
        responseBytes = 0
        upstreamKeepAlive = true
        closeAfterResponse = false
        chunkedToClient = false
        requestDeadline = .distantFuture
        if phase != .forwarding { resumeClientReadsIfPossible() }
    }
}
