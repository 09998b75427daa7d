import ArgumentParser
import DigitdCore
import Foundation
import Imaging
import NeuralNetwork
import ScanKinds

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a model's temperature on labelled data it was not trained on, and write the calibrated model.",
        discussion: """
        --scans DIR as for `digitctl eval` (DIR/0..9/, or sub-folders holding them: all are used together). \
        --mnist DIR: the training digits `digitctl train --holdout N --seed S` kept out, as clean and randomly \
        degraded scans (what train calibrates on). The temperature divides the logits before the softmax; the digits \
        do not change, their confidences do. The selection curve and the likeness floor measured on the same data are \
        stored beside it: digitd turns an accepted error rate into a confidence threshold with them.
        """
    )

    @Option(help: "Model file to calibrate.")
    var model: String

    @Option(help: "Folder of labelled scans (DIR/0..9/), or of such folders.")
    var scans: String?

    @Option(help: "Folder with MNIST's train- images and labels: calibrate on the digits training kept out.")
    var mnist: String?

    @Option(help: "With --mnist: the --holdout the model was trained with.")
    var holdout = 5_000

    @Option(help: "With --mnist: the --seed the model was trained with.")
    var seed: UInt64 = 1

    @Option(help: "Where to write the calibrated model.")
    var out: String

    func validate() throws {
        if (mnist == nil) == (scans == nil) { throw ValidationError("give --scans DIR or --mnist DIR") }
        guard holdout > 0, holdout < 60_000 else { throw ValidationError("--holdout must be 1-59999") }
    }

    func run() throws {
        var loaded = try ModelFile.load(model)
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let calibration: Calibration
        if let mnist {
            let heldOut = CalibrationScans.split(try MNISTFolder(mnist).load("train"), holdout: holdout, seed: seed).heldOut
            calibration = CalibrationScans.calibration(of: loaded, heldOut: heldOut, seed: seed, threads: threads)
        } else {
            calibration = try Self.fit(loaded, scans: scans!, threads: threads)
        }
        loaded.calibration = calibration
        try ModelFile.save(loaded, to: out)
        print(String(format: "temperature %.3f, fitted on %d scans; expected calibration error %.2f%% -> %.2f%%",
                     calibration.temperature, calibration.images, 100 * calibration.errorBefore, 100 * calibration.errorAfter))
        print("wrote \(out)")
    }

    private static func fit(_ model: Model, scans: String, threads: Int) throws -> Calibration {
        var pixels: [Float] = [], labels: [Int] = [], unanswered = 0
        let members = try LabelledScans.members(of: scans)
        for member in members {
            for scan in try member.read(threads: threads, decoder: ImageDecoder()) {
                guard let label = scan.label else { continue }  // calibration is of digits
                if let scanPixels = scan.pixels {
                    pixels += scanPixels
                    labels.append(label)
                } else {
                    unanswered += 1
                }
            }
        }
        let logits = Classifier(model: model, threads: threads).logits(pixels: pixels)
        let description = "\(scans) (\(members.map(\.name).joined(separator: ", ")))"
        return Calibration.fit(logits: logits, labels: labels, unanswered: unanswered, fittedOn: description)
    }
}
