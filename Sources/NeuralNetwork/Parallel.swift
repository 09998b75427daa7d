import CBLAS
import Dispatch
import Foundation

/// Threads the engine splits a batch over: one per core. OpenBLAS itself is kept to one
/// thread, since the engine's own threads already fill the cores (two thread pools on
/// two cores only fight).
public let defaultThreadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

private let blasSingleThreaded: Void = openblas_set_num_threads(1)

/// Runs body(0..<count) on `count` threads. The engine's bodies touch disjoint buffers
/// (one workspace per thread), which the compiler cannot see: hence the unchecked box.
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    _ = blasSingleThreaded
    if count == 1 {
        body(0)
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Splits 0..<total into `parts` contiguous ranges whose sizes differ by at most one.
func split(_ total: Int, into parts: Int) -> [Range<Int>] {
    (0..<parts).map { part in (total * part / parts)..<(total * (part + 1) / parts) }
}
