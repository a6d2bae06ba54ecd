import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

// Support for the `aiotwin proxy serve` tests: the proxy as a child process, upstream instances
// on real 127.0.0.1 sockets, and a raw HTTP/1.1 client (one request per connection).

/// Text a child process writes to one of its pipes, read on a thread of its own until EOF.
final class PipeText: @unchecked Sendable {
    private let data = NIOLockedValueBox(Data())
    private let done = NIOLockedValueBox(false)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [data, done] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.withLockedValue { $0.append(chunk) }
            }
            done.withLockedValue { $0 = true }
        }.start()
    }

    var text: String { data.withLockedValue { String(decoding: $0, as: UTF8.self) } }
    var isComplete: Bool { done.withLockedValue { $0 } }
}

/// Sends `signal` to the child `process`.
func signalProcess(_ process: Process, _ signal: Int32) {
    kill(process.processIdentifier, signal)
}

/// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try await condition() { return true }
        if Date() >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// A running `aiotwin proxy serve --config REGISTRY --port 0 …` child process.
///
/// Stop it with ``stop(signal:)`` (and check how it ended); ``kill()`` in a `defer` makes sure
/// it never outlives a failing test.
final class ServeProcess: @unchecked Sendable {
    enum StartError: Error, CustomStringConvertible {
        case exited(status: Int32, stderr: String)
        case noListeningLine(stdout: String, stderr: String)
        var description: String {
            switch self {
            case .exited(let status, let stderr): "aiotwin proxy serve exited (\(status)) before listening: \(stderr)"
            case .noListeningLine(let stdout, let stderr): "no 'listening HOST:PORT' line; stdout: \(stdout) stderr: \(stderr)"
            }
        }
    }

    struct Ending: Equatable, CustomStringConvertible {
        var reason: Process.TerminationReason
        var status: Int32
        /// Seconds from the signal to the end of the process (measured on Foundation's own
        /// threads, so a busy test thread pool does not inflate it).
        var seconds: Double
        /// Exited by itself (not killed by a signal) with status 0.
        var isCleanExit: Bool { reason == .exit && status == 0 }
        var description: String { reason == .exit ? "exit status \(status)" : "killed by signal \(status)" }
    }

    let process: Process
    let port: Int
    private let stdout: PipeText
    private let stderr: PipeText
    private let endedAt: NIOLockedValueBox<Date?>

    private init(process: Process, port: Int, stdout: PipeText, stderr: PipeText, endedAt: NIOLockedValueBox<Date?>) {
        self.process = process
        self.port = port
        self.stdout = stdout
        self.stderr = stderr
        self.endedAt = endedAt
    }

    /// Starts the proxy on 127.0.0.1, any free port, one event loop thread, and waits for its
    /// `listening 127.0.0.1:PORT` line.
    static func start(registry: String, arguments: [String] = [], timeout: Double = 30) async throws -> ServeProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: AIoTwinBinary.path)
        process.arguments = ["proxy", "serve", "--config", registry, "--host", "127.0.0.1", "--port", "0",
                             "--threads", "1", "--node", "test-node"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let endedAt = NIOLockedValueBox<Date?>(nil)
        process.terminationHandler = { _ in endedAt.withLockedValue { $0 = Date() } }
        try process.run()
        let stdout = PipeText(out), stderr = PipeText(err)
        var port: Int?
        _ = await eventually(within: timeout) {
            if let line = stdout.text.split(separator: "\n").first(where: { $0.hasPrefix("listening ") }),
                let colon = line.lastIndex(of: ":")
            {
                port = Int(line[line.index(after: colon)...])
            }
            return port != nil || !process.isRunning
        }
        guard let port else {
            if process.isRunning {
                signalProcess(process, SIGKILL)
                process.waitUntilExit()
                throw StartError.noListeningLine(stdout: stdout.text, stderr: stderr.text)
            }
            process.waitUntilExit()
            throw StartError.exited(status: process.terminationStatus, stderr: stderr.text)
        }
        return ServeProcess(process: process, port: port, stdout: stdout, stderr: stderr, endedAt: endedAt)
    }

    var standardError: String { stderr.text }
    var standardOutput: String { stdout.text }
    var isRunning: Bool { process.isRunning }

    /// Sends `signal` and waits (at most `timeout` seconds) for the process to end. A process
    /// still running then is killed with SIGKILL and reported as an issue.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Double = 10) async -> Ending {
        let signalledAt = Date()
        if process.isRunning { signalProcess(process, signal) }
        let ended = await eventually(within: timeout) { !process.isRunning }
        if !ended {
            Issue.record("aiotwin proxy serve did not end within \(timeout) s of signal \(signal); killing it")
            kill()
        }
        process.waitUntilExit()
        _ = await eventually(within: 5) { endedAt.withLockedValue { $0 } != nil }
        let seconds = endedAt.withLockedValue { $0 }.map { $0.timeIntervalSince(signalledAt) } ?? .infinity
        return Ending(reason: process.terminationReason, status: process.terminationStatus, seconds: seconds)
    }

    /// The times of the proxy's log lines containing `text` (the log has whole seconds).
    func logTimes(of text: String) -> [Date] {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyy-MM-dd'T'HH:mm:ssZ"
        return standardError.split(separator: "\n").filter { $0.contains(text) }.compactMap { line in
            line.split(separator: " ").first.flatMap { format.date(from: String($0)) }
        }
    }

    /// SIGKILL if still running (for `defer`).
    func kill() {
        if process.isRunning {
            signalProcess(process, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Runs `aiotwin args…` and waits at most `timeout` seconds; a process still running then is
/// killed and reported as `nil` (for commands that must fail at once but might serve forever).
func runAIoTwin(_ args: [String], timeout: Double = 30) async throws -> AIoTwinBinary.Result? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: AIoTwinBinary.path)
    process.arguments = args
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = PipeText(out), stderr = PipeText(err)
    let ended = await eventually(within: timeout) { !process.isRunning }
    if !ended {
        signalProcess(process, SIGKILL)
        process.waitUntilExit()
        return nil
    }
    process.waitUntilExit()
    _ = await eventually(within: 5) { stdout.isComplete && stderr.isComplete }
    return AIoTwinBinary.Result(status: process.terminationStatus, stdout: stdout.text, stderr: stderr.text)
}

// MARK: - Upstream instances

/// An upstream instance on 127.0.0.1 (ephemeral port) that describes each request it gets.
///
/// Every response carries `X-Upstream: NAME`; its body is JSON: `name`, `method`, `uri`,
/// `headers` (a list of `[name, value]` pairs in order) and `body` (the request body as text). A
/// query parameter `status=NNN` sets the response status.
final class EchoUpstream: Sendable {
    let name: String
    let port: Int
    private let channel: any Channel
    private let children: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    private let counter: NIOLockedValueBox<Int>

    var address: String { "127.0.0.1:\(port)" }
    /// Requests answered so far.
    var requests: Int { counter.withLockedValue { $0 } }

    private init(name: String, port: Int, channel: any Channel, children: NIOLockedValueBox<[ObjectIdentifier: any Channel]>,
                 counter: NIOLockedValueBox<Int>) {
        self.name = name
        self.port = port
        self.channel = channel
        self.children = children
        self.counter = counter
    }

    static func start(name: String) async throws -> EchoUpstream {
        let children = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let counter = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                children.withLockedValue { $0[ObjectIdentifier(channel)] = channel }
                channel.closeFuture.whenComplete { _ in
                    _ = children.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(name: name, counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return EchoUpstream(name: name, port: channel.localAddress!.port!, channel: channel, children: children,
                            counter: counter)
    }

    /// Stops listening and closes every connection: later connects are refused.
    func stop() async {
        try? await channel.close()
        for child in children.withLockedValue({ Array($0.values) }) { try? await child.close() }
    }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let name: String
    private let counter: NIOLockedValueBox<Int>
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(name: String, counter: NIOLockedValueBox<Int>) {
        self.name = name
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            counter.withLockedValue { $0 += 1 }
            let description: [String: Any] = [
                "name": name, "method": head.method.rawValue, "uri": head.uri,
                "headers": head.headers.map { [$0.name, $0.value] }, "body": String(buffer: body),
            ]
            let json = (try? JSONSerialization.data(withJSONObject: description, options: [.sortedKeys])) ?? Data()
            var status = HTTPResponseStatus.ok
            if let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first,
                let item = query.split(separator: "&").first(where: { $0.hasPrefix("status=") }),
                let code = Int(item.dropFirst("status=".count))
            {
                status = HTTPResponseStatus(statusCode: code)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(json.count))
            headers.add(name: "X-Upstream", value: name)
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                          promise: nil)
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: json)))), promise: nil)
            let keepAlive = head.isKeepAlive
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { loopBound.value.close(promise: nil) }
            }
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A TCP port on 127.0.0.1 that refuses connections: bound (so that nothing else gets it) but
/// not listening.
final class RefusingPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    var address: String { "127.0.0.1:\(port)" }

    deinit { close(descriptor) }
}

// MARK: - A raw HTTP client

/// A parsed HTTP/1.1 response.
struct RawResponse: CustomStringConvertible {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String
    var raw: String

    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }

    /// The upstream's description of the request it received (``EchoUpstream``).
    var echo: Echo? { Echo(body) }

    var description: String { raw.count > 600 ? String(raw.prefix(600)) + "…" : raw }

    /// Parses a complete response; `nil` if `text` is not one.
    init?(_ text: String) {
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else { return nil }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        self.status = status
        self.headers = headers
        self.raw = text
        var body = Substring(text[split.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            var decoded = ""
            while let lineEnd = body.range(of: "\r\n"), let size = Int(body[..<lineEnd.lowerBound], radix: 16) {
                if size == 0 { break }
                let start = lineEnd.upperBound
                guard let end = body.utf8.index(start, offsetBy: size, limitedBy: body.utf8.endIndex) else { return nil }
                decoded += body[start..<end]
                body = body[end...].dropFirst(2)
            }
            self.body = decoded
        } else if let length = headers.first(where: { $0.0.lowercased() == "content-length" }).flatMap({ Int($0.1) }) {
            let bytes = Array(body.utf8)
            guard bytes.count >= length else { return nil }
            self.body = String(decoding: bytes.prefix(length), as: UTF8.self)
        } else {
            self.body = String(body)
        }
    }
}

/// What ``EchoUpstream`` saw.
struct Echo {
    var name: String
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: String

    init?(_ json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let name = object["name"] as? String, let method = object["method"] as? String,
            let uri = object["uri"] as? String, let headers = object["headers"] as? [[String]],
            let body = object["body"] as? String
        else { return nil }
        self.name = name
        self.method = method
        self.uri = uri
        self.headers = headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        self.body = body
    }

    /// All values of a header, in order.
    func values(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
}

enum RawHTTP {
    struct NoResponse: Error, CustomStringConvertible {
        var received: String
        var description: String { "no complete HTTP response; received: \(received.debugDescription)" }
    }

    /// Connects to 127.0.0.1:`port`, writes `bytes`, and returns everything received until the
    /// server closes the connection (or `timeout` seconds pass).
    static func exchange(port: Int, _ bytes: [UInt8], timeout: Int64 = 10) async throws -> String {
        try await exchangeUntilClose(port: port, bytes, timeout: timeout).text
    }

    /// Like ``exchange(port:_:timeout:)``; `closedByPeer` is false when the timeout closed it.
    static func exchangeUntilClose(port: Int, _ bytes: [UInt8], timeout: Int64 = 10) async throws
        -> (text: String, closedByPeer: Bool)
    {
        let received = NIOLockedValueBox(ByteBuffer())
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let timedOut = NIOLockedValueBox(false)
        let watchdog = channel.eventLoop.scheduleTask(in: .seconds(timeout)) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        try? await channel.closeFuture.get()
        watchdog.cancel()
        let text = received.withLockedValue { String(decoding: $0.readableBytesView, as: UTF8.self) }
        return (text, !timedOut.withLockedValue { $0 })
    }

    /// One request with `Connection: close`; `Host: 127.0.0.1:PORT` unless `headers` has a Host.
    static func request(port: Int, _ method: String = "GET", _ target: String, headers: [(String, String)] = [],
                        body: String? = nil) async throws -> RawResponse {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { text += "Host: 127.0.0.1:\(port)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "Connection: close\r\n\r\n" + (body ?? "")
        let received = try await exchange(port: port, Array(text.utf8))
        guard let response = RawResponse(received) else { throw NoResponse(received: received) }
        return response
    }

    /// A GET naming its service with `X-Service`.
    static func get(port: Int, _ target: String, service: String) async throws -> RawResponse {
        try await request(port: port, "GET", target, headers: [("X-Service", service)])
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<ByteBuffer>
        init(received: NIOLockedValueBox<ByteBuffer>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = Self.unwrapInboundIn(data)
            _ = received.withLockedValue { $0.writeBuffer(&buffer) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

// MARK: - Registry files

/// A registry file for `aiotwin proxy serve`, rewritten atomically (a new inode each time).
struct RegistryFileFixture {
    let path: String

    init(directory: String, name: String = "registry.json") {
        path = directory + "/" + name
    }

    /// A registry file in a new temporary directory, holding `services` (see ``write(_:balancers:)``).
    static func temporary(_ services: [String: [(name: String, address: String)]]) throws -> RegistryFileFixture {
        let registry = RegistryFileFixture(directory: try AIoTwinBinary.temporaryDirectory())
        try registry.write(services)
        return registry
    }

    /// Writes services → instances (`name`, `address`); `balancers` gives a service's balancer.
    func write(_ services: [String: [(name: String, address: String)]], balancers: [String: String] = [:]) throws {
        var object: [String: Any] = [:]
        for (service, instances) in services {
            var entry: [String: Any] = ["instances": instances.map { ["name": $0.name, "address": $0.address] }]
            if let balancer = balancers[service] { entry["balancer"] = balancer }
            object[service] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: ["services": object], options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Writes raw text.
    func write(text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
