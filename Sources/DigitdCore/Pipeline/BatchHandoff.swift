import Foundation

/// Passes batches from the classifying loop to the recorder, one at a time:
/// `hand` returns once the batch before it is recorded, so at most two
/// batches are in flight (one recorded, one being classified).
final class BatchHandoff: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: ClassifiedBatch?
    private var recording = false
    private var closed = false

    func hand(_ batch: ClassifiedBatch) {
        condition.lock()
        defer { condition.unlock() }
        while waiting != nil || recording { condition.wait() }
        waiting = batch
        condition.broadcast()
    }

    /// The next batch to record; nil once closed and drained.
    func next() -> ClassifiedBatch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting == nil && !closed { condition.wait() }
        guard let batch = waiting else { return nil }
        waiting = nil
        recording = true
        return batch
    }

    func finished() {
        condition.lock()
        recording = false
        condition.broadcast()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
