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
        try RobustnessSuite.write(digits, kinds: [.clean, .bits16Stretched], nonDigits: [.scribbles], to: folder)
        for digit in 0...9 {
            let files = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/clean/\(digit)")
            #expect(files.count == digits.labels.count(where: { Int($0) == digit }))
        }
        let again = TempFolder.unique("suite-again")
        defer { TempFolder.remove(again) }
        try RobustnessSuite.write(digits, kinds: [.clean], nonDigits: [], to: again)
        let first = Int(digits.labels[0])
        #expect(FileManager.default.contents(atPath: "\(folder)/clean/\(first)/0.png")
            == FileManager.default.contents(atPath: "\(again)/clean/\(first)/0.png"))

        let classifier = Classifier(model: try ModelFile.load(Repository.shippedModel))
        let policy = ReviewPolicy(calibration: classifier.model.calibration, targetError: 0.005)
        let clean = try LabelledScans("\(folder)/clean").evaluate(with: classifier, policy: policy, threads: 2, decoder: ImageDecoder())
        #expect(clean.evaluation.total == 200 && clean.blank == 0 && clean.unreadable == 0)
        #expect(clean.evaluation.accuracy >= 0.97, "clean scans of MNIST digits: \(clean.evaluation.accuracy)")
        #expect(!LabelledScans(folder).exists)
        #expect(LabelledScans("\(folder)/bits16-stretched").exists)
        // The non-digits: a folder of their own beside the digits', kept out of accuracy.
        let scribbles = try LabelledScans("\(folder)/not-scribbles").evaluate(with: classifier, policy: policy, threads: 2, decoder: ImageDecoder())
        #expect(scribbles.review.nonDigits == 200 && scribbles.review.digits == 0 && scribbles.evaluation.total == 0)
        #expect(clean.review.digits == 200 && clean.review.nonDigits == 0)
    }

    /// Low-resolution scans saved as JPEG (quality 75, its ringing around every stroke) are read
    /// about as well as the same scans as PNG, through the daemon's decoder and normalizer.
    @Test func jpegScansAreReadAsWellAsPNG() throws {
        let digits = try MNISTFolder(MNIST.folder).load("t10k", spread: 1000)
        let decoder = ImageDecoder(), normalizer = ScanNormalizer()
        var png: [Float] = [], jpeg: [Float] = []
        for i in 0..<digits.count {
            var rng = SeededRandom(seed: 21, UInt64(i))
            let scan = ScanKind.gray16.render(digits.image(i), rng: &rng)
            png += try normalizer.normalize(try decoder.decode(try Fixtures.png(scan)).image).pixels
            let encoded = try Fixtures.jpeg(width: scan.width, height: scan.height, components: 1, pixels: scan.pixels, quality: 75)
            jpeg += try normalizer.normalize(try decoder.decode(encoded).image).pixels
        }
        let classifier = Classifier(model: try ModelFile.load(Repository.shippedModel))
        let labels = digits.labels.map(Int.init)
        let (fromPNG, fromJPEG) = (Evaluation(classifier: classifier, pixels: png, labels: labels).accuracy,
                                   Evaluation(classifier: classifier, pixels: jpeg, labels: labels).accuracy)
        print(String(format: "16x16 gray scans of 1000 test digits: PNG %.2f%%, JPEG (quality 75) %.2f%%", 100 * fromPNG, 100 * fromJPEG))
        #expect(fromJPEG >= fromPNG - 0.01 && fromJPEG >= 0.98, "16x16 gray: PNG \(fromPNG), JPEG \(fromJPEG)")
    }
}
