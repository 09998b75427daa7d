import Foundation

/// A batch decoded and classified, waiting to be recorded.
struct ClassifiedBatch: Sendable {
    let claims: [Claim]
    let scans: [PreparedScan]
    let ranked: [[(digit: Int, probability: Float)]?]
    let model: String
    /// Leftovers of an earlier run, each with a retry record to remove once finished.
    var retried = false
}
