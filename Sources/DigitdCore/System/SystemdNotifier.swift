import CSystemd
import Foundation

/// sd_notify(3) through libsystemd: READY=1, STATUS=..., WATCHDOG=1, EXTEND_TIMEOUT_USEC=. Without
/// systemd ($NOTIFY_SOCKET unset) every call is a no-op.
struct SystemdNotifier: Sendable {
    /// Half of WatchdogSec when the unit has a watchdog, else nil.
    let watchdogInterval: TimeInterval?

    init() {
        var microseconds: UInt64 = 0
        watchdogInterval = sd_watchdog_enabled(0, &microseconds) > 0 ? Double(microseconds) / 2e6 : nil
    }

    func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    func status(_ text: String) { send("STATUS=\(text)") }
    func watchdog() { if watchdogInterval != nil { send("WATCHDOG=1") } }
    func reloading() { send("RELOADING=1") }
    func stopping() { send("STOPPING=1") }
    /// Start-up is still going (recovering processing/): TimeoutStartSec counts from now + `seconds`.
    func extendStartTimeout(by seconds: TimeInterval) { send("EXTEND_TIMEOUT_USEC=\(UInt64(seconds * 1e6))") }

    private func send(_ message: String) { _ = sd_notify(0, message) }
}
