import ArgumentParser
import DigitdCore
import Foundation
import Imaging
import NeuralNetwork

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a model's temperature on labelled scans it was not trained on, and write the calibrated model.",
        discussion: """
        --scans DIR as for `digitctl eval` (DIR/0..9/, or sub-folders holding them: all are used together). The \
        temperature divides the logits before the softmax; the digits do not change, their confidences do. The \
        selection curve measured on the same scans is stored beside it: digitd turns an accepted error rate into a \
        confidence threshold with it.
        """
    )

    @Option(help: "Model file to calibrate.")
    var model: String

    @Option(help: "Folder of labelled scans (DIR/0..9/), or of such folders.")
    var scans: String

    @Option(help: "Where to write the calibrated model.")
    var out: String

    func run() throws {
        var loaded = try ModelFile.load(model)
        let classifier = Classifier(model: loaded)
        var logits: [Float] = [], labels: [Int] = [], unanswered = 0
        let members = try LabelledScans.members(of: scans)
        for member in members {
            let read = try member.read(threads: ProcessInfo.processInfo.activeProcessorCount, decoder: ImageDecoder())
            logits += classifier.logits(pixels: read.pixels)
            labels += read.labels
            unanswered += read.blank + read.unreadable
        }
        let description = "\(scans) (\(members.map(\.name).joined(separator: ", ")))"
        let calibration = Calibration.fit(logits: logits, labels: labels, unanswered: unanswered, fittedOn: description)
        loaded.calibration = calibration
        try ModelFile.save(loaded, to: out)
        print(String(format: "temperature %.3f, fitted on %d scans; expected calibration error %.2f%% -> %.2f%%",
                     calibration.temperature, calibration.images, 100 * calibration.errorBefore, 100 * calibration.errorAfter))
        print("wrote \(out)")
    }
}
