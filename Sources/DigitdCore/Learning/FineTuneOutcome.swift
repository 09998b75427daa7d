import Foundation
import NeuralNetwork

struct FineTuneOutcome: Sendable {
    var candidate: Model
    var promoted: Bool
    var reason: String
    var before: GateFigures
    var after: GateFigures
    var trained: Int
    var heldOut: Int
    var replay: Int
    var seconds: Double
}
