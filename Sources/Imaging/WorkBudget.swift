import CImageCodecs

/// The CPU time one scan's decoding and normalization may take, so that no
/// input can hold a worker for long: a deadline on the CPU clock of the thread
/// that made the budget. Spend it on that thread (CPU time elsewhere is not counted).
public struct WorkBudget: Sendable {
    public let seconds: Double
    /// The thread CPU time, in nanoseconds, at which the work is over budget.
    let deadline: Int64

    /// Starts now; `seconds` from 0 to a billion (NaN counts as 0).
    public init(seconds: Double) {
        self.seconds = seconds
        let nanoseconds = seconds > 0 ? Int64(min(seconds, 1e9) * 1e9) : 0
        deadline = dgt_thread_cpu_ns() + nanoseconds
    }

    var isSpent: Bool { dgt_thread_cpu_ns() >= deadline }
}
