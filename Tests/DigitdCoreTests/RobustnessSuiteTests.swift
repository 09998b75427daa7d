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
}
