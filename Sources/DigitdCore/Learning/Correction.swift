import Foundation

/// One decoded correction, ready for fine-tuning.
struct Correction: Sendable {
    var sha256: String
    /// 0-9; nil for a mark that is not a digit (labels/not-a-digit/): fine-tuning teaches rejection.
    var digit: Int?
    /// 28×28, 255 = ink.
    var pixels: [UInt8]
    var name: String
}
