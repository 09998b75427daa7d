import Foundation
import Imaging
import NeuralNetwork
import ScanKinds
import Testing
@testable import TestSupport
@testable import DigitdCore

/// The shipped model's review policy on scans it was neither trained nor calibrated on: the
/// threshold holds its target error, MNIST's own digits are trusted, and marks that are not
/// digits go to review.
@Suite(.enabled(if: MNIST.available, MNIST.absent)) struct ReviewTests {
    static let shipped = try! ModelFile.load(Repository.shippedModel)
    static let test = try! MNISTFolder(MNIST.folder).load("t10k")

    static func tally(_ pixels: [Float], labels: [Int?], target: Double) -> ReviewTally {
        let policy = ReviewPolicy(calibration: shipped.calibration, targetError: target)
        var tally = ReviewTally()
        for (prediction, label) in zip(Classifier(model: shipped).predictions(pixels: pixels), labels) {
            tally.add(prediction, label: label, policy: policy)
        }
        return tally
    }

    /// Within sampling error: 3 standard errors of a binomial at the target, over what was trusted.
    static func holds(_ tally: ReviewTally, _ target: Double) -> Bool {
        tally.errorAmongTrusted <= target + 3 * (target * (1 - target) / Double(max(tally.trusted, 1))).squareRoot()
    }

    /// Its calibration, fitted on held-out training digits, lowers the calibration error on
    /// scans of test digits too.
    @Test func theShippedModelIsCalibrated() throws {
        let calibration = try #require(Self.shipped.calibration, "the shipped model has no calibration")
        #expect(calibration.likenessFloor != nil)
        #expect(calibration.errorAfter < calibration.errorBefore)
        let scans = CalibrationScans.make(Self.test.subset((0..<2500).map { $0 * 4 + 3 }), seed: 78, threads: 2)
        var raw = Self.shipped
        raw.calibration = nil
        func error(_ model: Model) -> Double {
            Evaluation(classifier: Classifier(model: model), pixels: scans.pixels, labels: scans.labels).calibrationError()
        }
        let (before, after) = (error(raw), error(Self.shipped))
        print(String(format: "shipped calibration on 5000 scans of test digits: ECE %.3f%% -> %.3f%%", 100 * before, 100 * after))
        #expect(after < before, "ECE on scans of test digits: \(before) -> \(after)")
    }

    /// Test digits (never trained on) as clean and randomly degraded scans, as the model was
    /// calibrated on held-out training digits.
    @Test(arguments: [0.005, 0.01]) func theThresholdHoldsItsTargetOnScansItWasNotFitOn(_ target: Double) {
        let digits = Self.test.subset((0..<2500).map { $0 * 4 + 1 })
        let scans = CalibrationScans.make(digits, seed: 77, threads: 2)
        let tally = Self.tally(scans.pixels, labels: scans.labels, target: target)
        #expect(Self.holds(tally, target), "target \(target): \(tally.trustedWrong) wrong of \(tally.trusted) trusted")
        #expect(tally.coverage > 0.8, "only \(tally.coverage) of the digits trusted at \(target)")
    }

    @Test func mnistTestDigitsAreTrusted() {
        let digits = Self.test.subset((0..<5000).map { $0 * 2 })
        let tally = Self.tally(digits.pixels.map { Float($0) / 255 }, labels: digits.labels.map { Int($0) }, target: 0.005)
        #expect(tally.coverage >= 0.99, "\(tally.coverage) of MNIST test digits trusted")
        #expect(Self.holds(tally, 0.005), "\(tally.trustedWrong) wrong of \(tally.trusted) trusted")
    }

    /// Marks the suite holds (letters of scripts training never saw among them), each as a kind
    /// of scan in turn, through the daemon's normalizer.
    @Test(arguments: [NonDigit.latinLetters, .otherScripts, .inventedCharacters, .scribbles, .crossedOut, .twoDigits])
    func marksThatAreNotDigitsGoToReview(_ kind: NonDigit) throws {
        var pixels: [Float] = [], blank = 0
        for i in 0..<300 {
            var rng = SeededRandom(seed: 31, UInt64(i))
            let scan = ScanKind.allCases[i % ScanKind.allCases.count].render(kind.render(digits: Self.test, rng: &rng), rng: &rng)
            let normalized = try ScanNormalizer().normalize(scan)
            if normalized.isBlank { blank += 1 } else { pixels += normalized.pixels }
        }
        let tally = Self.tally(pixels, labels: Array(repeating: nil, count: pixels.count / 784), target: 0.005)
        let share = Double(tally.nonDigitsUntrusted + blank) / 300
        print(String(format: "%@: %.1f%% of 300 to review", kind.rawValue, 100 * share))
        #expect(share >= Self.reviewShare[kind]!, "\(kind): \(share) to review")
    }

    /// The least share of each kind sent to review: a few points under what the shipped model
    /// measured (closing note of the issue that added review), so a worse model fails.
    static let reviewShare: [NonDigit: Double] = [
        .latinLetters: 0.92, .otherScripts: 0.88, .inventedCharacters: 0.80, .scribbles: 0.90, .crossedOut: 0.93, .twoDigits: 0.93,
    ]
}
