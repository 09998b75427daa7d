import DequeModule
import Foundation

/// Names seen in the inbox and not yet claimed, oldest first, without
/// repeats. Bounded: when full, the watcher stops offering and finds the rest
/// by rescanning later, so a 100,000-file backlog costs a directory listing,
/// not 100,000 names in memory.
final class PendingScans: @unchecked Sendable {
    let capacity: Int
    private var order = Deque<ScanName>()
    private var members = Set<ScanName>()
    private var refused = false
    private var closed = false
    private let condition = NSCondition()

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return order.count
    }

    /// False when the queue is full (the name is dropped, to be found by a rescan).
    @discardableResult
    func offer(_ name: ScanName) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if members.contains(name) { return true }
        guard order.count < capacity else {
            refused = true
            return false
        }
        order.append(name)
        members.insert(name)
        condition.signal()
        return true
    }

    /// True once after offers were refused and there is room again.
    func shouldRescanForRefused() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard refused, order.count < capacity / 2 else { return false }
        refused = false
        return true
    }

    /// Waits until `wanted` names are queued, the deadline passes or the queue
    /// is closed; then takes up to `wanted`.
    func take(_ wanted: Int, waitingUntil deadline: Date) -> [ScanName] {
        condition.lock()
        defer { condition.unlock() }
        while order.count < wanted && !closed && condition.wait(until: deadline) {}
        let taken = Array(order.prefix(wanted))
        order.removeFirst(taken.count)
        for name in taken { members.remove(name) }
        return taken
    }

    /// Wakes every waiter; later takes return at once.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
