import Dispatch

/// Runs body(0..<count), each index on its own thread of Dispatch's pool. The callers' bodies
/// touch disjoint memory (one workspace, one output slot per index), which the compiler
/// cannot see: hence the unchecked box.
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 {
        body(0)
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
}

/// body(0..<count) on `threads` threads (index i on thread i % threads), results in order.
public func parallelMap<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let threads = max(1, min(threads, count))
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { slots in
        let slots = UncheckedSendable(slots)
        parallelFor(threads) { t in
            for i in stride(from: t, to: count, by: threads) { slots.value[i] = body(i) }
        }
    }
    return results.map { $0! }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
