import Imaging
import NeuralNetwork

/// MNIST digits as scans and MNIST's own images, and marks that are not digits, for training:
/// each epoch a share of the digits is drawn through a random ScanDegradation and the daemon's
/// ScanNormalizer, as a scan of that kind would reach the network; the negatives (NonDigit's
/// taught kinds) are always drawn so. Then every example gets the affine augmentation.
public struct ScanTrainingSet: TrainingExamples {
    public let digits: LabeledImages
    public let negatives: Int
    /// Of the digits, the share drawn as scans each epoch.
    public let scannedShare: Float
    private let augmenter: Augmenter?
    private let seed: UInt64
    private let normalizer = ScanNormalizer()

    public init(digits: LabeledImages, negatives: Int, scannedShare: Float, augmentation: AugmentationSettings?, seed: UInt64) {
        precondition(scannedShare >= 0 && scannedShare <= 1 && negatives >= 0)
        self.digits = digits
        self.negatives = negatives
        self.scannedShare = scannedShare
        augmenter = augmentation.map(Augmenter.init)
        self.seed = seed
    }

    public var count: Int { digits.count + negatives }

    public func write(_ index: Int, epoch: Int, to pixels: UnsafeMutablePointer<Float>) -> Int32 {
        var rng = SeededRandom(seed: seed, UInt64(epoch), UInt64(index))
        let (ink, label): (GrayImage, Int32)
        if index < digits.count {
            (ink, label) = (digits.image(index), Int32(digits.labels[index]))
        } else {
            let kind = NonDigit.taught[Int(rng.next() % UInt64(NonDigit.taught.count))]
            (ink, label) = (kind.render(digits: digits, rng: &rng), notADigit)
        }
        // Two digits side by side come wider than 28: their ink as drawn is fitted into the frame.
        let frame = ink.width == 28 && ink.height == 28 ? ink : ink.fitted((0, 0, ink.width, ink.height), side: 28)
        var plain = frame.pixels.map { Float($0) / 255 }
        if label == notADigit || rng.unit() < scannedShare {
            let scan = ScanDegradation.random(rng: &rng).render(ink, rng: &rng)
            // A scan the normalizer finds blank teaches nothing as a scan: the ink as drawn stands in.
            if let normalized = try? normalizer.normalize(scan), !normalized.isBlank { plain = normalized.pixels }
        }
        guard let augmenter else {
            pixels.update(from: plain, count: SeedCNN.pixels)
            return label
        }
        plain.withUnsafeBufferPointer { augmenter.augment($0.baseAddress!, into: pixels, random: &rng) }
        return label
    }
}
