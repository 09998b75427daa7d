import Foundation
@testable import NeuralNetwork
import TestSupport
import Testing

@Suite struct AdamTests {
    /// Three steps against torch.optim.Adam's update written out in Double.
    @Test func matchesPyTorchUpdateRule() {
        let settings = AdamSettings(learningRate: 0.01, weightDecay: 0.1)
        let adam = Adam(settings: settings, count: 3)
        var parameters: [Float] = [0.5, -1, 2]
        var expected = parameters.map(Double.init)
        var (m, v) = ([Double](repeating: 0, count: 3), [Double](repeating: 0, count: 3))
        let gradients: [[Float]] = [[0.1, -0.2, 3], [0.05, 0.4, -1], [-0.3, 0, 0.2]]
        for (t, g) in gradients.enumerated() {
            adam.update(&parameters, gradient: g, learningRate: 0.01)
            for i in 0..<3 {
                let gi = Double(g[i]) + 0.1 * expected[i]
                m[i] = 0.9 * m[i] + 0.1 * gi
                v[i] = 0.999 * v[i] + 0.001 * gi * gi
                let mHat = m[i] / (1 - pow(0.9, Double(t + 1)))
                let vHat = v[i] / (1 - pow(0.999, Double(t + 1)))
                expected[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(Double(parameters[i]) - expected[i]) < 1e-6) }
    }

    @Test func scheduleWarmsUpThenDecays() {
        var options = TrainingOptions()
        options.warmupSteps = 10
        let rates = (0..<200).map { options.learningRate(step: $0, totalSteps: 200) }
        #expect(rates[0] < rates[5] && rates[5] < rates[9])
        #expect(abs(rates[9] - options.optimizer.learningRate) < 1e-9)
        #expect(zip(rates[10...], rates[11...]).allSatisfy { $0 >= $1 })
        #expect(abs(rates[199] - options.optimizer.learningRate * options.finalLearningRateFraction) < 1e-5)
    }
}

@Suite struct TrainingTests {
    /// Memorizing a tiny set is the basic sign that forward, backward and Adam work together.
    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func overfitsATinySet() throws {
        let tiny = try MNIST.load("train", limit: 64)
        var options = TrainingOptions()
        options.epochs = 40
        options.batchSize = 16
        options.augmentation = nil
        options.seed = 5
        let untrained = Evaluation(classifier: Classifier(model: .initial(seed: 5)), images: tiny).accuracy
        let (model, epochs, _) = train(options, on: tiny, test: nil)
        let accuracy = Evaluation(classifier: Classifier(model: model), images: tiny).accuracy
        #expect(untrained < 0.5)
        #expect(accuracy == 1, "accuracy on the 64 training images: \(accuracy)")
        #expect(epochs.last!.loss < 0.01, "final loss \(epochs.last!.loss)")
    }

    /// Same seed, same data: the same weights, bit for bit, with augmentation on two threads.
    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func trainingIsRepeatable() throws {
        let tiny = try MNIST.load("train", limit: 48)
        var options = TrainingOptions()
        options.epochs = 2
        options.batchSize = 16
        options.augmentation = AugmentationSettings(elasticAlpha: 30)
        options.threads = 2
        let first = train(options, on: tiny, test: nil).model
        #expect(train(options, on: tiny, test: nil).model.parameters == first.parameters)
        options.seed = 2
        #expect(train(options, on: tiny, test: nil).model.parameters != first.parameters)
    }
}

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
