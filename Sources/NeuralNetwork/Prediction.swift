import Foundation

/// What the network makes of one image: the ten digits, most likely first, with their
/// probabilities (softmax of the logits over the model's temperature), and how much the image
/// looks like a digit at all.
public struct Prediction: Sendable {
    public var ranked: [(digit: Int, probability: Float)]
    /// The probability the two most likely digits hold together. A digit, even one hard to
    /// tell from another, puts nearly all of it on one or two digits; a model taught that marks
    /// that are not digits are like no digit (outlier exposure) spreads theirs over many.
    public var likeness: Float

    public var digit: Int { ranked[0].digit }
    public var confidence: Float { ranked[0].probability }

    public init(logits: ArraySlice<Float>, temperature: Float) {
        let probabilities = Classifier.softmax(logits, temperature: temperature)
        ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.map { ($0, probabilities[$0]) }
        likeness = ranked[0].probability + ranked[1].probability
    }
}
