import Foundation
@testable import DigitdCore

/// A `digitd` child process (posix_spawn, so the test controls its signals
/// and reaps it itself).
public final class DaemonProcess: @unchecked Sendable {
    public let pid: pid_t
    public let logPath: String
    public private(set) var exitStatus: Int32?

    public init(executable: String, arguments: [String], logPath: String, environment extra: [String: String] = [:]) throws {
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGXFSZ] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        // No systemd notification socket from whatever runs the tests.
        let environment = ProcessInfo.processInfo.environment
            .filter { !["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID"].contains($0.key) }
            .merging(extra) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for entry in environment { free(entry) } }

        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environment)
        guard result == 0 else { throw SystemError(errno: result, "spawn \(executable)") }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    public func signal(_ signal: Int32) { if exitStatus == nil { kill(pid, signal) } }

    /// Reaps the child if it has exited; true while it runs.
    public var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Waits for the exit; the raw wait status, or nil after `timeout`.
    @discardableResult
    public func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() > deadline { return nil }
            usleep(5_000)
        }
        return exitStatus
    }

    /// kill -9 and reap.
    public func crash() {
        signal(SIGKILL)
        wait(timeout: 30)
    }

    /// SIGTERM, then the exit code (nil: still running after `timeout`, or killed by a signal).
    public func terminate(timeout: TimeInterval = 30) -> (exited: Bool, code: Int32?) {
        signal(SIGTERM)
        guard let status = wait(timeout: timeout) else { return (false, nil) }
        return (true, Self.exitCode(status))
    }

    /// WEXITSTATUS when it exited normally, nil when a signal ended it.
    public static func exitCode(_ status: Int32) -> Int32? {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    /// The daemon's status over its control socket, on a thread of its own so
    /// a hung daemon fails the test instead of hanging it.
    public func status(socket: String, timeout: TimeInterval = 15) throws -> DaemonStatus {
        let box = Box<Result<DaemonStatus, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.value = Result { try ControlClient(socket: socket).status() }
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success, let result = box.value else {
            throw DigitdError("digitd did not answer status within \(Int(timeout)) s")
        }
        return try result.get()
    }

    public func waitReady(socket: String, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            guard isRunning else {
                throw DigitdError("digitd exited (status \(exitStatus ?? -1)) before it was ready:\n\(tail)")
            }
            if let status = try? self.status(socket: socket), status.ready { return }
            if Date() > deadline { throw DigitdError("digitd not ready after \(Int(timeout)) s:\n\(tail)") }
            usleep(20_000)
        }
    }

    public var tail: String {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(20).joined(separator: "\n")
    }
}
