import Foundation
import NeuralNetwork

/// What a fine-tune learns from and is judged on.
struct FineTuneData: Sendable {
    var corrections: [Correction]
    /// Earlier data replayed beside the corrections (reservoir, MNIST train).
    var replay: LabeledImages
    /// The general set the candidate must not regress on (MNIST test, or
    /// reservoir images kept out of the replay).
    var general: LabeledImages
    var generalName: String

    init(corrections: [Correction], replay: LabeledImages, general: LabeledImages, generalName: String) {
        self.corrections = corrections
        self.replay = replay
        self.general = general
        self.generalName = generalName
    }
}
