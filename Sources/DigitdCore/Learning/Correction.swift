import Foundation

/// One decoded correction, ready for fine-tuning.
struct Correction: Sendable {
    var sha256: String
    var digit: Int
    /// 28×28, 255 = ink.
    var pixels: [UInt8]
    var name: String
}
