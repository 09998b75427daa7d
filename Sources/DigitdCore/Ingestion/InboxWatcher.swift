import Foundation
import Logging

/// Finds complete files in the inbox (DESIGN §3): inotify IN_CLOSE_WRITE and
/// IN_MOVED_TO announce a file the moment its writer is done; a start-up scan
/// and a periodic rescan catch the rest (network shares, inotify overflow,
/// files that were still being written), taking a file only once its mtime
/// has been quiet for the quiet period.
final class InboxWatcher: @unchecked Sendable {
    private let inbox: String
    private let pending: PendingScans
    private let quietPeriod: TimeInterval
    private let rescanInterval: TimeInterval
    private let logger: Logger
    private let inotify: Int32
    /// A pipe whose write end wakes the watch loop to stop.
    private let wake: (read: Int32, write: Int32)
    /// Files a rescan saw but could not take yet: size and mtime when last seen.
    private var unsettled: [ScanName: (size: Int, mtime: TimeInterval)] = [:]
    private var thread: Thread?
    private let finished = NSCondition()
    private var running = false

    init(inbox: String, pending: PendingScans, quietPeriod: TimeInterval, rescanInterval: TimeInterval, logger: Logger) throws {
        self.inbox = inbox
        self.pending = pending
        self.quietPeriod = quietPeriod
        self.rescanInterval = rescanInterval
        self.logger = logger
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw SystemError(errno: errno, "inotify_init1") }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemError(errno: errno, "pipe") }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wake = (ends[0], ends[1])
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(inotify, inbox, mask) >= 0 else { throw SystemError(errno: errno, "watch \(inbox)") }
    }

    deinit {
        close(inotify)
        close(wake.read)
        close(wake.write)
    }

    /// Scans the backlog, then watches on a thread of its own until `stop()`.
    func start() {
        let settles = rescan()
        finished.lock()
        running = true
        finished.unlock()
        let thread = Thread { [self] in
            loop(firstSettles: settles)
            finished.lock()
            running = false
            finished.broadcast()
            finished.unlock()
        }
        thread.name = "inbox-watcher"
        self.thread = thread
        thread.start()
    }

    func stop() {
        var one: UInt8 = 1
        _ = write(wake.write, &one, 1)
        finished.lock()
        while running { finished.wait() }
        finished.unlock()
    }

    private func loop(firstSettles: Date?) {
        var nextRescan = min(Date().addingTimeInterval(rescanInterval), firstSettles ?? .distantFuture)
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        while true {
            // Wake often enough to notice room for refused names.
            let timeout = max(0, min(nextRescan.timeIntervalSinceNow, 0.2))
            let ready = poll(&fds, 2, Int32(timeout * 1000))
            if ready < 0 && errno != EINTR {
                logger.error("inbox watch failed: \(SystemError(errno: errno, "poll"))")
                return
            }
            if fds[1].revents != 0 { return }
            var rescanNow = false
            if fds[0].revents != 0 { rescanNow = readEvents() }
            if rescanNow || Date() >= nextRescan || pending.shouldRescanForRefused() {
                let settles = rescan()
                nextRescan = min(Date().addingTimeInterval(rescanInterval), settles ?? .distantFuture)
            }
        }
    }

    /// Offers announced files; true when the kernel dropped events (rescan).
    private func readEvents() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var overflow = false
        while true {
            let n = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            if n <= 0 { return overflow }
            var offset = 0
            buffer.withUnsafeBytes { raw in
                while offset + MemoryLayout<inotify_event>.size <= n {
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = Array(raw[nameStart..<(nameStart + Int(event.len))].prefix(while: { $0 != 0 }))
                    offset = nameStart + Int(event.len)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { overflow = true; continue }
                    if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                        logger.critical("the inbox \(inbox) was removed or moved away")
                        continue
                    }
                    guard !nameBytes.isEmpty else { continue }
                    let name = ScanName(bytes: nameBytes)
                    if !name.isIgnored, let info = FileOps.status(inbox, name), Self.isRegular(info) {
                        unsettled[name] = nil
                        if !pending.offer(name) { overflow = true }
                    }
                }
            }
        }
    }

    /// Lists the inbox and offers every file that is complete. Returns when the first file
    /// still being written will have been quiet for the quiet period, so that it is looked at
    /// again then, not a whole rescan interval later (a file renamed in as digitd starts).
    @discardableResult
    func rescan() -> Date? {
        let now = Date().timeIntervalSince1970
        var seen = Set<ScanName>()
        var settles: TimeInterval?
        do {
            try FileOps.list(inbox) { name in
                guard !name.isIgnored, let info = FileOps.status(inbox, name), Self.isRegular(info) else { return true }
                seen.insert(name)
                let size = Int(info.st_size)
                let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
                let quiet = now - mtime >= quietPeriod
                // An mtime in the future (another machine's clock) cannot age:
                // take the file once a rescan finds it unchanged.
                let unchangedSinceLastLook = unsettled[name].map { $0.size == size && $0.mtime == mtime } ?? false
                if quiet || (mtime > now && unchangedSinceLastLook) {
                    unsettled[name] = nil
                    return pending.offer(name)
                }
                if unsettled.count < pending.capacity { unsettled[name] = (size, mtime) }
                // A future mtime settles at the next look; a fresh one when it has aged.
                let quietAt = mtime > now ? now + quietPeriod : mtime + quietPeriod
                settles = min(settles ?? quietAt, quietAt)
                return true
            }
        } catch {
            logger.error("cannot list the inbox: \(error)")
        }
        unsettled = unsettled.filter { seen.contains($0.key) }
        // Not sooner than 10 ms from now: a clock step must not make the loop spin.
        return settles.map { Date(timeIntervalSince1970: max($0, Date().timeIntervalSince1970 + 0.01)) }
    }

    private static func isRegular(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFREG }
}
