import Foundation
@testable import DigitdCore

/// What systemd listens on for sd_notify(3): a datagram socket whose path goes
/// into a child's NOTIFY_SOCKET. Records every message line in order, and when the last
/// WATCHDOG=1 came.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var lastPing: Date?
    private var lines: [String] = []
    private var closed = false

    public init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SystemError(errno: errno, "socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw SystemError(errno: errno, "bind \(path)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread.detachNewThread { [self] in receive() }
    }

    deinit { close() }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }

    /// The last WATCHDOG=1, nil before the first.
    public var lastWatchdog: Date? {
        lock.lock()
        defer { lock.unlock() }
        return lastPing
    }

    /// READY=1 messages so far (one per start, one per reload).
    public var readies: Int { messages.count { $0 == "READY=1" } }

    /// Every line received so far ("READY=1", "STATUS=...", "EXTEND_TIMEOUT_USEC=..."), in order.
    public var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            lock.lock()
            let stop = closed
            lock.unlock()
            if stop { return }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let lines = String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n")
            lock.lock()
            if lines.contains("WATCHDOG=1") { lastPing = Date() }
            self.lines += lines.map(String.init)
            lock.unlock()
        }
    }
}
