import CBLAS
import Foundation

/// Threads the engine splits a batch over: one per core. OpenBLAS itself is kept to one
/// thread (Workspace.init), since the engine's own threads already fill the cores (two
/// thread pools on two cores only fight).
public let defaultThreadCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

let blasSingleThreaded: Void = openblas_set_num_threads(1)

/// Splits 0..<total into `parts` contiguous ranges whose sizes differ by at most one.
func split(_ total: Int, into parts: Int) -> [Range<Int>] {
    (0..<parts).map { part in (total * part / parts)..<(total * (part + 1) / parts) }
}
