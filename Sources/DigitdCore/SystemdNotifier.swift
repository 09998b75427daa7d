import CSystemd
import Foundation

/// sd_notify(3) through libsystemd: READY=1, STATUS=..., WATCHDOG=1. Without
/// systemd ($NOTIFY_SOCKET unset) every call is a no-op.
public struct SystemdNotifier: Sendable {
    /// Half of WatchdogSec when the unit has a watchdog, else nil.
    public let watchdogInterval: TimeInterval?

    public init() {
        var microseconds: UInt64 = 0
        watchdogInterval = sd_watchdog_enabled(0, &microseconds) > 0 ? Double(microseconds) / 2e6 : nil
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { if watchdogInterval != nil { send("WATCHDOG=1") } }
    public func reloading() { send("RELOADING=1") }
    public func stopping() { send("STOPPING=1") }

    private func send(_ message: String) { _ = sd_notify(0, message) }
}
