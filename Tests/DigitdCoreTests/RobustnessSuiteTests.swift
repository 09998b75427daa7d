import Foundation
import Imaging
import NeuralNetwork
import ScanKinds
import Testing
@testable import TestSupport
@testable import DigitdCore

/// The robustness suite is written in the labels/ layout, the same every time, and read back
/// through the daemon's decoder and normalizer by LabelledScans.
@Suite(.enabled(if: MNIST.available, MNIST.absent)) struct RobustnessSuiteTests {
    @Test func aSuiteIsWrittenAsLabelledFoldersAndEvaluated() throws {
        let folder = TempFolder.unique("suite")
        defer { TempFolder.remove(folder) }
        let digits = try MNISTFolder(MNIST.folder).load("t10k", spread: 200)
        try RobustnessSuite.write(digits, kinds: [.clean, .bits16Stretched], to: folder)
        for digit in 0...9 {
            let files = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/clean/\(digit)")
            #expect(files.count == digits.labels.count(where: { Int($0) == digit }))
        }
        let again = TempFolder.unique("suite-again")
        defer { TempFolder.remove(again) }
        try RobustnessSuite.write(digits, kinds: [.clean], to: again)
        let first = Int(digits.labels[0])
        #expect(FileManager.default.contents(atPath: "\(folder)/clean/\(first)/0.png")
            == FileManager.default.contents(atPath: "\(again)/clean/\(first)/0.png"))

        let classifier = Classifier(model: try ModelFile.load(Repository.shippedModel))
        let clean = try LabelledScans("\(folder)/clean").evaluate(with: classifier, threads: 2, decoder: ImageDecoder())
        #expect(clean.evaluation.total == 200 && clean.blank == 0 && clean.unreadable == 0)
        #expect(clean.evaluation.accuracy >= 0.97, "clean scans of MNIST digits: \(clean.evaluation.accuracy)")
        #expect(!LabelledScans(folder).exists)
        #expect(LabelledScans("\(folder)/bits16-stretched").exists)
    }

    /// The temperature fitted on scans of some MNIST test digits lowers the calibration error on
    /// scans of other digits, of the kinds the shipped model is most overconfident on.
    @Test func calibrationLowersTheErrorOnScansItWasNotFitOn() throws {
        let all = try MNISTFolder(MNIST.folder).load("t10k")
        let kinds: [ScanKind] = [.bits16Stretched, .gray10, .gray16Filled]
        func suite(_ label: String, _ indices: [Int]) throws -> (pixels: [Float], labels: [Int]) {
            let folder = TempFolder.unique(label)
            defer { TempFolder.remove(folder) }
            try RobustnessSuite.write(all.subset(indices), kinds: kinds, to: folder)
            var pixels: [Float] = [], labels: [Int] = []
            for member in try LabelledScans.members(of: folder) {
                let read = try member.read(threads: 2, decoder: ImageDecoder())
                pixels += read.pixels
                labels += read.labels
            }
            return (pixels, labels)
        }
        // Digits from across the set (its halves differ: the second is easier), never the same ones.
        let fitting = try suite("fit", (0..<400).map { $0 * 25 }), heldOut = try suite("held-out", (0..<400).map { $0 * 25 + 12 })
        let shipped = try ModelFile.load(Repository.shippedModel)
        let calibration = Calibration.fit(logits: Classifier(model: shipped).logits(pixels: fitting.pixels), labels: fitting.labels,
                                          fittedOn: "test")
        var calibrated = shipped
        calibrated.calibration = calibration
        func error(_ model: Model) -> Double {
            Evaluation(classifier: Classifier(model: model), pixels: heldOut.pixels, labels: heldOut.labels).calibrationError()
        }
        let (before, after) = (error(shipped), error(calibrated))
        #expect(calibration.temperature > 1, "the shipped model is overconfident on these kinds: T = \(calibration.temperature)")
        #expect(after < before * 0.8, "ECE on held-out scans: \(before) -> \(after)")
    }
}
