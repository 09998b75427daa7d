import Foundation

/// What one fine-tune measured: accuracy on the held-out corrections and on the
/// general set (MNIST test images when configured, else the replay reservoir).
public struct GateFigures: Codable, Sendable, Equatable {
    public var heldOut: Double
    public var general: Double

    public init(heldOut: Double, general: Double) {
        self.heldOut = heldOut
        self.general = general
    }
}
