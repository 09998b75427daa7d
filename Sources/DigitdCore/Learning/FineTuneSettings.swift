import Foundation
import NeuralNetwork

/// How a fine-tune trains and what its validation gate demands (config [finetune]).
struct FineTuneSettings: Sendable, Equatable {
    var epochs = 20
    var batchSize = 32
    var learningRate: Float = 1e-3
    /// Fraction of each digit's corrections held out to judge the candidate.
    var holdoutFraction = 0.2
    /// Replay examples mixed in per training correction.
    var replayRatio = 4.0
    /// The candidate keeps this fraction of the fine-tune's change to the
    /// weights (base + k × (tuned − base), as WiSE-FT does): most of what the
    /// corrections taught, much less of the forgetting. Refused, shorter steps are tried.
    var interpolation: Float = 0.7
    /// The candidate's general accuracy may fall at most this many points under the served
    /// model's and the base model's.
    var maxRegressionPoints = 0.2
    var augmentation = AugmentationSettings(rotationDegrees: 12, shiftPixels: 2, scale: 0.12)
    var threads = 1
    var maxSeconds = 600.0
    /// review.target_error: a held-out mark that is not a digit counts as right when the
    /// candidate would not trust it at this target.
    var reviewTargetError = DaemonConfig.defaultReviewTargetError

    init() {}
}
