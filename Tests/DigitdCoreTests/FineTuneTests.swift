import Foundation
import Imaging
import ScanKinds
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

/// DESIGN §7 measured: corrections on a distribution the shipped model is weak
/// on make it better there without forgetting MNIST; wrong labels are refused
/// by the validation gate.
@Suite(.serialized, .enabled(if: MNIST.available, MNIST.absent))
struct FineTuneTests {
    /// MNIST test digits drawn in a steep italic, as scans of dark ink on
    /// paper: the shipped model has not seen this style. A
    /// stratified 10% is relabeled, the fine-tune learns from it, and the other
    /// 90% and the MNIST test set are scored before and after.
    @Test func correctionsFixAShiftedStyleWithoutForgetting() throws {
        let shifted = try MNIST.load("t10k", limit: 3000)
        let normalizer = ScanNormalizer()
        let scans = try (0..<shifted.count).map { i in try normalizer.normalize(SteepItalic.render(shifted.image(i))).bytes }

        let root = try TuneRoot("shifted")
        // 10% of each digit relabeled, the rest scored.
        var relabeled = Set<Int>()
        for digit in 0...9 {
            let members = (0..<shifted.count).filter { shifted.labels[$0] == digit }
            relabeled.formUnion(members.prefix(members.count / 10))
        }
        for i in relabeled {
            try root.writeLabel(SteepItalic.render(shifted.image(i)), digit: Int(shifted.labels[i]), name: "scan-\(i).png")
        }
        let scored = (0..<shifted.count).filter { !relabeled.contains($0) }
        let heldBack = LabeledImages(pixels: scored.flatMap { scans[$0] }, labels: scored.map { shifted.labels[$0] })
        let mnistTest = try MNIST.load("t10k", limit: 10_000)

        let base = try root.servedModel()
        let errorBefore = 1 - Evaluation(classifier: Classifier(model: base), images: heldBack).accuracy
        let mnistBefore = Evaluation(classifier: Classifier(model: base), images: mnistTest).accuracy

        let report = try root.fineTune()
        #expect(report.state == .promoted, "\(report)")
        let tuned = try root.servedModel()
        #expect(tuned != base)
        // Calibrated anew on what it did not learn from, so review keeps meaning what it says.
        #expect(tuned.calibration?.fittedOn.contains("held-out corrections") == true, "\(String(describing: tuned.calibration))")
        let errorAfter = 1 - Evaluation(classifier: Classifier(model: tuned), images: heldBack).accuracy
        let mnistAfter = Evaluation(classifier: Classifier(model: tuned), images: mnistTest).accuracy
        print(String(format: "fine-tune proof: %d corrections; shifted-style error on the other %d: %.2f%% -> %.2f%%; MNIST test: %.2f%% -> %.2f%%; %.1f s; gate: held-out %.1f%% -> %.1f%%",
                     relabeled.count, scored.count, 100 * errorBefore, 100 * errorAfter, 100 * mnistBefore, 100 * mnistAfter,
                     report.seconds ?? 0, 100 * (report.before?.heldOut ?? 0), 100 * (report.after?.heldOut ?? 0)))
        #expect(errorBefore > 0.1, "the shifted style must be one the shipped model is weak on")
        #expect(errorAfter <= errorBefore / 2, "the error on the shifted style must fall by at least half")
        #expect(mnistBefore - mnistAfter <= 0.002, "MNIST accuracy may drop by at most 0.2 points")
    }

    /// A hundred different 1s, all labelled 7: the candidate learns them (the
    /// held-out ones "improve"), but MNIST's 1s suffer, and the gate refuses it.
    @Test func wrongLabelsAreRejectedByTheGate() throws {
        let ones = try MNIST.load("t10k", limit: 2000, only: 1)
        let root = try TuneRoot("wrong")
        for i in 0..<min(100, ones.count) {
            try root.writeLabel(SteepItalic.paper.render(ones.image(i)), digit: 7, name: "one-\(i).png")
        }
        let before = try root.servedModel()
        let report = try root.fineTune()
        print("wrong labels: \(report.state.rawValue): \(report.reason ?? "")")
        #expect(report.state == .rejected, "\(report)")
        #expect(try root.registry.read().current == nil)
        #expect(try root.servedModel() == before)
        #expect(try root.registry.read().versions.last?.state == .rejected)
    }
}
