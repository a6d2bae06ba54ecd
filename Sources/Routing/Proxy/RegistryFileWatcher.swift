#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Keeps a ``StaticRouter`` in sync with a registry file.
///
/// Polls the file's modification time, size and inode every `interval` on an event-loop timer
/// (one `stat` per poll; the file is read only when one of them changed). A file that fails to
/// load leaves the router's current registry in place and logs one warning per change of the
/// file; a missing file is treated the same way.
public final class RegistryFileWatcher: Sendable {
    private struct Stamp: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
        var inode: UInt64
    }

    /// The watched path.
    public let path: String
    private let router: any RegistryUpdatable
    private let logger: Logger
    private let lastStamp: NIOLockedValueBox<Stamp?>
    private let task: NIOLockedValueBox<RepeatedTask?>

    /// Starts watching. The first poll happens after `interval`; load the initial registry yourself
    /// (``RegistryFile/load(path:)``) so that startup fails loudly on a bad file.
    public init(path: String, router: any RegistryUpdatable, eventLoop: any EventLoop,
                interval: TimeAmount = .seconds(1), logger: Logger = Logger(label: "aiotwin.proxy.registry")) {
        self.path = path
        self.router = router
        self.logger = logger
        self.lastStamp = NIOLockedValueBox(Self.stamp(path))
        self.task = NIOLockedValueBox(nil)
        let repeated = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.poll()
        }
        self.task.withLockedValue { $0 = repeated }
    }

    /// Stops polling.
    public func stop() {
        task.withLockedValue {
            $0?.cancel()
            $0 = nil
        }
    }

    deinit {
        task.withLockedValue { $0?.cancel() }
    }

    /// Checks the file now; reloads if it changed. Returns `true` if the router was updated.
    @discardableResult
    public func poll() -> Bool {
        let stamp = Self.stamp(path)
        let changed = lastStamp.withLockedValue { last -> Bool in
            if last == stamp { return false }
            last = stamp
            return true
        }
        guard changed else { return false }
        do {
            let registry = try RegistryFile.load(path: path)
            router.update(registry)
            logger.info(
                "registry reloaded",
                metadata: ["path": "\(path)", "services": "\(registry.services.count)",
                           "instances": "\(registry.services.values.reduce(0) { $0 + $1.instances.count })"])
            return true
        } catch {
            logger.warning("registry file rejected, keeping the previous registry: \(error)", metadata: ["path": "\(path)"])
            return false
        }
    }

    private static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return Stamp(seconds: Int(modified.tv_sec), nanoseconds: Int(modified.tv_nsec), size: Int(info.st_size),
                     inode: UInt64(info.st_ino))
    }
}

/// A router whose services and instances come from a registry that can change at run time.
public protocol RegistryUpdatable: AnyObject, Sendable {
    /// Replaces the registry.
    func update(_ registry: UpstreamRegistry)
}

extension StaticRouter: RegistryUpdatable {}
