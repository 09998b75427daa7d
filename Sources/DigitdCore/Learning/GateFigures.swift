import Foundation

/// What one fine-tune measured of one model: accuracy and log-loss on the held-out corrections,
/// accuracy on the general set (the anchor set's general digits by default, MNIST test when
/// finetune.mnist is set, else the replay reservoir's agreement).
public struct GateFigures: Codable, Sendable, Equatable {
    public var heldOut: Double
    /// Mean cross-entropy (nats) of the held-out corrections' labels, with the model's own
    /// calibration: it sees learning when accuracy is already 100%. nil in records from before it.
    public var heldOutLoss: Double?
    public var general: Double

    public init(heldOut: Double, heldOutLoss: Double? = nil, general: Double) {
        self.heldOut = heldOut
        self.heldOutLoss = heldOutLoss
        self.general = general
    }
}
