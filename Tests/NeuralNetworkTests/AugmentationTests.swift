@testable import NeuralNetwork
import Testing

@Suite struct AugmentationTests {
    static let digit: [Float] = (0..<784).map { i in
        let (x, y) = (i % 28, i / 28)
        return (8..<20).contains(x) && (6..<22).contains(y) && (x + y) % 3 != 0 ? Float(x * y % 7) / 6 : 0
    }

    static func augmented(_ settings: AugmentationSettings, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed, 1, 2)
        var target = [Float](repeating: -1, count: 784)
        Augmenter(settings).augment(digit, into: &target, random: &random)
        return target
    }

    @Test func deterministicForASeed() {
        let settings = AugmentationSettings(elasticAlpha: 34, elasticSigma: 4)
        #expect(Self.augmented(settings, seed: 1) == Self.augmented(settings, seed: 1))
        #expect(Self.augmented(settings, seed: 1) != Self.augmented(settings, seed: 2))
    }

    @Test func zeroRangesAreTheIdentity() {
        let none = AugmentationSettings(rotationDegrees: 0, shiftPixels: 0, scale: 0, elasticAlpha: 0)
        #expect(Self.augmented(none, seed: 9) == Self.digit)
    }

    @Test func distortionsKeepTheInk() {
        // Moderate ranges keep the digit inside the frame: total ink is about conserved
        // (scaling by s changes it by about 1/s²).
        let ink = Self.digit.reduce(0, +)
        for seed in 0..<20 as Range<UInt64> {
            let moved = Self.augmented(AugmentationSettings(elasticAlpha: 34, elasticSigma: 4), seed: seed)
            #expect(moved != Self.digit)
            let ratio = moved.reduce(0, +) / ink
            #expect(ratio > 0.7 && ratio < 1.35, "ink ratio \(ratio) for seed \(seed)")
            #expect(moved.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    @Test func bilinearInterpolatesBetweenPixels() {
        var image = [Float](repeating: 0, count: 784)
        image[5 * 28 + 5] = 1
        image[5 * 28 + 6] = 0.5
        #expect(bilinear(image, 5, 5) == 1)
        #expect(bilinear(image, 5.5, 5) == 0.75)
        #expect(bilinear(image, 5, 5.5) == 0.5)
        #expect(bilinear(image, -3, 40) == 0)
    }
}
