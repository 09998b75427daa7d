import Foundation
import NeuralNetwork

struct FineTuneOutcome: Sendable {
    var candidate: Model
    /// Why the gate refused it; nil: promoted.
    var reason: String?
    var promoted: Bool { reason == nil }
    /// The fraction of the trained change to the weights the candidate kept.
    var interpolation: Float
    /// The longer steps the gate refused before this one, each with its reason.
    var refusedSteps: [String]
    var before: GateFigures
    var after: GateFigures
    var base: GateFigures?
    var trained: Int
    var heldOut: Int
    var replay: Int
    var seconds: Double
}
