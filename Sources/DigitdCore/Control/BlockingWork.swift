import Foundation

/// Runs what blocks (user and group lookups, reading results CSVs, waiting for
/// the labels' or the registry's lock, loading a model) on a thread of its own
/// per call: Swift's cooperative pool has one thread per core, and a handler
/// blocked on it would keep every other control request (status) waiting. A
/// thread each, not a shared queue, so that calls waiting for one lock never
/// hold up the others; ConnectionLimit bounds how many there can be.
public enum BlockingWork {
    public static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
