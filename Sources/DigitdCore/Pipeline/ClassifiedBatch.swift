import Foundation
import NeuralNetwork

/// A batch decoded and classified, waiting to be recorded.
struct ClassifiedBatch: Sendable {
    let claims: [Claim]
    let scans: [PreparedScan]
    /// nil for blank pages and failures.
    let predictions: [Prediction?]
    let verdicts: [ReviewPolicy.Verdict?]
    let model: String
    /// Leftovers of an earlier run, each with a retry record to remove once finished.
    var retried = false
}
