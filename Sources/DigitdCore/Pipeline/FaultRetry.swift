import Foundation
import Logging

/// Waits out faults of the world around digitd (a full disk, I/O errors, a read-only
/// filesystem, no descriptors or memory left): the operation is retried with back-off until it
/// succeeds, and meanwhile digitd says it is degraded (log, `status`, STATUS=, a metric). The
/// pipeline's intake stops while a batch waits here, so no more files are claimed than the two
/// batches in flight, and none is failed or moved without its row.
final class FaultRetry: @unchecked Sendable {
    private let board: StatusBoard
    private let notifier: SystemdNotifier
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false
    /// Back-off between attempts: doubles from the first to the last, which is short enough
    /// that digitd resumes within seconds of the fault clearing.
    static let delays = (first: 0.25, last: 5.0)

    init(board: StatusBoard, notifier: SystemdNotifier, logger: Logger) {
        self.board = board
        self.notifier = notifier
        self.logger = logger
    }

    /// `body` until it succeeds; nil when digitd stops first. `place` names where the
    /// operation writes ("results/", "done/"). Between attempts `alive` keeps systemd informed.
    func untilDone<T>(_ place: String, alive: () -> Void, _ body: () throws -> T) -> T? {
        var delay = Self.delays.first
        var degraded: (since: Date, message: String)?
        while true {
            do {
                let value = try body()
                if let degraded { clear(degraded.message, since: degraded.since) }
                return value
            } catch {
                let message = "\(Self.fault(of: error)) on \(place)"
                if degraded?.message != message {
                    logger.error("paused: \(message) (\(error)); intake stops and digitd retries until it clears")
                    board.update { $0.degraded = message }
                    notifier.status("degraded: \(message)")
                    degraded = (degraded?.since ?? Date(), message)
                }
                guard wait(delay, alive: alive) else { return nil }
                delay = min(delay * 2, Self.delays.last)
            }
        }
    }

    /// What an operator is told: the kind of fault, or the error itself.
    static func fault(of error: Error) -> String {
        (error as? SystemError)?.worldFault ?? "\(error)"
    }

    /// Wakes every wait: digitd is stopping.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func clear(_ message: String, since: Date) {
        logger.notice("resumed: \(message) cleared after \(String(format: "%.1f", Date().timeIntervalSince(since))) s")
        board.update { $0.degraded = nil }
        notifier.status("resumed after \(message)")
    }

    /// Sleeps `seconds` in steps that keep `alive` called; false when stopping.
    private func wait(_ seconds: TimeInterval, alive: () -> Void) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !stopping && Date() < end {
            condition.unlock()
            alive()
            condition.lock()
            if stopping { break }
            _ = condition.wait(until: min(end, Date().addingTimeInterval(1)))
        }
        return !stopping
    }
}
