import ArgumentParser
import DigitdCore
import Foundation
import NeuralNetwork

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accuracy, per-class precision/recall and the confusion matrix of a model on MNIST's test set.",
        discussion: "Without --model: the model the daemon would use (the current one under --root DIR, else the shipped model)."
    )

    @Option(help: "Folder with MNIST's t10k images and labels.")
    var mnist: String

    @Option(help: "Model file to evaluate.")
    var model: String?

    @Option(help: "Daemon root: evaluate the model it serves (its registry's current version, else the shipped one).")
    var root: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if model != nil && root != nil { throw ValidationError("give --model or --root, not both") }
    }

    func run() throws {
        let path = try modelPath()
        let loaded = try ModelFile.load(path)
        let test = try MNISTFolder(mnist).load("t10k")
        let evaluation = Evaluation(classifier: Classifier(model: loaded), images: test)
        if json {
            let report: [String: Any] = [
                "model": path, "images": evaluation.total, "correct": evaluation.correct, "accuracy": evaluation.accuracy,
                "precision": (0..<10).map(evaluation.precision), "recall": (0..<10).map(evaluation.recall),
                "confusion": evaluation.confusion,
            ]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("model: \(path)")
        print(String(format: "accuracy: %.2f%% (%d/%d)", 100 * evaluation.accuracy, evaluation.correct, evaluation.total))
        print("\ndigit  precision  recall")
        for digit in 0..<10 {
            print(String(format: "%5d  %8.2f%%  %5.2f%%", digit, 100 * evaluation.precision(digit), 100 * evaluation.recall(digit)))
        }
        print("\nconfusion matrix (rows: actual, columns: predicted)")
        print("     " + (0..<10).map { String(format: "%6d", $0) }.joined())
        for actual in 0..<10 {
            print(String(format: "%5d", actual) + evaluation.confusion[actual].map { String(format: "%6d", $0) }.joined())
        }
    }

    private func modelPath() throws -> String {
        if let model { return model }
        if let root { return try DaemonConfig.load(path: nil, root: root).servedModelPath() }
        guard let shipped = ShippedModel.locate() else {
            throw DigitdError("no model: the shipped \(ShippedModel.fileName) was not found; give --model FILE")
        }
        return shipped
    }
}
