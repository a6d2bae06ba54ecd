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

extension UpstreamErrorKind {
    /// Maps a failed connect to an error kind.
    static func classifyConnect(_ error: any Error) -> UpstreamErrorKind {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return .connectTimeout }
        if let ioError = error as? IOError {
            return ioError.errnoCode == ECONNREFUSED ? .connectRefused : .connectFailed
        }
        if let connectionError = error as? NIOConnectionError {
            for failure in connectionError.connectionErrors {
                if let ioError = failure.error as? IOError, ioError.errnoCode == ECONNREFUSED { return .connectRefused }
                if let channelError = failure.error as? ChannelError, case .connectTimeout = channelError {
                    return .connectTimeout
                }
            }
        }
        return .connectFailed
    }

    /// Maps the error that closed an established upstream connection (or `nil` for a clean close).
    static func classifyTransport(_ error: (any Error)?, afterResponseHead: Bool) -> UpstreamErrorKind {
        // A message cut short by the close is a reset; any other parse failure is garbage.
        if let parserError = error as? HTTPParserError, parserError != .invalidEOFState { return .invalidResponse }
        return afterResponseHead ? .resetMidResponse : .reset
    }
}
