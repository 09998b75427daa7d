import Foundation

/// When to fine-tune and on what (config [finetune]).
struct FineTuneSchedule: Sendable, Equatable {
    /// 0: no periodic runs, only `digitctl finetune-now`.
    var intervalSeconds = 3600.0
    var minNewLabels = 10
    /// MNIST folder (IDX .gz) for replay and the general set, instead of the anchor set.
    var mnist: String?
    /// The anchor set's folder (AnchorSet): by default the one shipped beside the model; nil
    /// (finetune.anchor = ""): none, the reservoir only.
    var anchor = AnchorSet.shipped()
    var generalSize = 2000
    var mnistReplay = 5000

    init() {}
}
