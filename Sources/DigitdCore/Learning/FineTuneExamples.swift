import NeuralNetwork

/// What a fine-tune trains on: the digit corrections and the replay (augmented, with their
/// labels), then the marks people said are not digits (augmented alike, trained towards the
/// uniform distribution: `notADigit`, so that such marks come out unsure and go to review).
struct FineTuneExamples: TrainingExamples {
    let digits: AugmentedImages
    let marks: AugmentedImages

    init(digits: LabeledImages, marks: [UInt8], augmentation: AugmentationSettings?, seed: UInt64) {
        self.digits = AugmentedImages(digits, augmentation: augmentation, seed: seed)
        let count = marks.count / SeedCNN.pixels
        // Their stored label is never read: write() answers notADigit for them.
        self.marks = AugmentedImages(LabeledImages(pixels: marks, labels: [UInt8](repeating: 0, count: count)),
                                     augmentation: augmentation, seed: seed &+ 1)
    }

    var count: Int { digits.count + marks.count }

    func write(_ index: Int, epoch: Int, to pixels: UnsafeMutablePointer<Float>) -> Int32 {
        if index < digits.count { return digits.write(index, epoch: epoch, to: pixels) }
        _ = marks.write(index - digits.count, epoch: epoch, to: pixels)
        return notADigit
    }
}
