/// What a training run learns from: `count` examples an epoch, each written on a worker thread
/// as 784 pixels in [0,1] with its label (0-9, or `notADigit`). The same index and epoch always
/// give the same example, whichever thread writes it.
public protocol TrainingExamples: Sendable {
    var count: Int { get }
    func write(_ index: Int, epoch: Int, to pixels: UnsafeMutablePointer<Float>) -> Int32
}

/// Labelled images, distorted anew each epoch by the augmenter (if any).
public struct AugmentedImages: TrainingExamples {
    public let images: LabeledImages
    private let augmenter: Augmenter?
    private let seed: UInt64

    public init(_ images: LabeledImages, augmentation: AugmentationSettings?, seed: UInt64) {
        self.images = images
        augmenter = augmentation.map(Augmenter.init)
        self.seed = seed
    }

    public var count: Int { images.count }

    public func write(_ index: Int, epoch: Int, to pixels: UnsafeMutablePointer<Float>) -> Int32 {
        if let augmenter {
            var plain = [Float](repeating: 0, count: SeedCNN.pixels)
            var random = SeededRandom(seed: seed, UInt64(epoch), UInt64(index))
            plain.withUnsafeMutableBufferPointer { plain in
                images.write(index, to: plain.baseAddress!)
                augmenter.augment(plain.baseAddress!, into: pixels, random: &random)
            }
        } else {
            images.write(index, to: pixels)
        }
        return Int32(images.labels[index])
    }
}
