import ArgumentParser
import DigitdCore
import Foundation
import Imaging
import NeuralNetwork

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How a model does on MNIST's test set or on labelled scans: accuracy, calibration, risk–coverage, confusion.",
        discussion: """
        --scans DIR reads DIR/0..9/ (the labels/ layout: each scan in the folder of its digit) through digitd's decoder \
        and normalizer; a blank or unreadable scan counts as wrong and is never accepted. A DIR whose sub-folders are such \
        folders (the robustness suite of `digitctl suite`) gets one line per sub-folder and one for all of them together.
        Risk–coverage: the share of scans that can be accepted, most confident first, with at most 0.1%, 0.5% or 1% \
        wrong among them, and the confidence that accepts them. ECE: expected calibration error, 15 bins.
        Without --model: the model the daemon would use (the current one under --root DIR, else the shipped model).
        """
    )

    @Option(help: "Folder with MNIST's t10k images and labels.")
    var mnist: String?

    @Option(help: "Folder of labelled scans (DIR/0..9/), or of such folders.")
    var scans: String?

    @Option(help: "Model file to evaluate.")
    var model: String?

    @Option(help: "Daemon root: evaluate the model it serves (its registry's current version, else the shipped one).")
    var root: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    static let errorTargets = [0.001, 0.005, 0.01]

    func validate() throws {
        if model != nil && root != nil { throw ValidationError("give --model or --root, not both") }
        if (mnist == nil) == (scans == nil) { throw ValidationError("give --mnist DIR or --scans DIR") }
    }

    func run() throws {
        let path = try modelPath()
        let loaded = try ModelFile.load(path)
        let classifier = Classifier(model: loaded)
        if !json, let calibration = loaded.calibration {
            print(String(format: "calibrated: temperature %.3f, fitted on %d scans of %@", calibration.temperature, calibration.images, calibration.fittedOn))
        }
        var members: [(name: String, evaluation: Evaluation, blank: Int, unreadable: Int)] = []
        if let mnist {
            members.append(("mnist-test", Evaluation(classifier: classifier, images: try MNISTFolder(mnist).load("t10k")), 0, 0))
        } else if let scans {
            let decoder = ImageDecoder(limits: .default)
            let threads = ProcessInfo.processInfo.activeProcessorCount
            for member in try LabelledScans.members(of: scans) {
                let result = try member.evaluate(with: classifier, threads: threads, decoder: decoder)
                members.append((member.name, result.evaluation, result.blank, result.unreadable))
            }
        }
        if json {
            try printJSON(path, members)
        } else if members.count == 1 {
            printReport(path, members[0])
        } else {
            printSuite(path, members)
        }
    }

    private static func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }

    private static func coverage(_ evaluation: Evaluation, _ target: Double) -> String {
        guard let point = evaluation.coverage(atError: target) else { return "none" }
        return String(format: "%.1f%% (confidence >= %.4f)", 100 * point.coverage, point.threshold)
    }

    private func printReport(_ path: String, _ member: (name: String, evaluation: Evaluation, blank: Int, unreadable: Int)) {
        let e = member.evaluation
        print("model: \(path)")
        print("\(member.name): \(e.total) images" + (e.unanswered > 0 ? " (\(member.blank) blank, \(member.unreadable) unreadable)" : ""))
        print("accuracy: \(Self.percent(e.accuracy)) (\(e.correct)/\(e.total))")
        print(String(format: "expected calibration error (15 bins): %.2f%%", 100 * e.calibrationError()))
        print("\ncoverage at an error among accepted of")
        for target in Self.errorTargets { print(String(format: "  %4.1f%%: ", 100 * target) + Self.coverage(e, target)) }
        print("\ndigit  precision  recall")
        for digit in 0..<10 {
            print(String(format: "%5d  %8.2f%%  %5.2f%%", digit, 100 * e.precision(digit), 100 * e.recall(digit)))
        }
        print("\nconfusion matrix (rows: actual, columns: predicted)")
        print("     " + (0..<10).map { String(format: "%6d", $0) }.joined())
        for actual in 0..<10 {
            print(String(format: "%5d", actual) + e.confusion[actual].map { String(format: "%6d", $0) }.joined())
        }
    }

    private func printSuite(_ path: String, _ members: [(name: String, evaluation: Evaluation, blank: Int, unreadable: Int)]) {
        print("model: \(path)\n")
        let header = ["scans", "images", "accuracy", "ECE"] + Self.errorTargets.map { String(format: "cov@%.1f%%", 100 * $0) }
        let width = max(18, members.map(\.name.count).max()! + 2)
        print(header[0].padding(toLength: width, withPad: " ", startingAt: 0) + header.dropFirst().map { $0.leftPad(10) }.joined())
        let all = Evaluation(answers: members.flatMap(\.evaluation.answers), unanswered: members.reduce(0) { $0 + $1.evaluation.unanswered })
        for (name, e) in members.map({ ($0.name, $0.evaluation) }) + [("all together", all)] {
            let cells = ["\(e.total)", Self.percent(e.accuracy), Self.percent(e.calibrationError())]
                + Self.errorTargets.map { e.coverage(atError: $0).map { Self.percent($0.coverage) } ?? "none" }
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + cells.map { $0.leftPad(10) }.joined())
        }
        print("\ncov@E: the share of scans accepted, most confident first, with at most E of them wrong")
    }

    private func printJSON(_ path: String, _ members: [(name: String, evaluation: Evaluation, blank: Int, unreadable: Int)]) throws {
        let report: [String: Any] = [
            "model": path,
            "members": members.map { member -> [String: Any] in
                let e = member.evaluation
                return [
                    "name": member.name, "images": e.total, "correct": e.correct, "accuracy": e.accuracy,
                    "blank": member.blank, "unreadable": member.unreadable, "ece": e.calibrationError(),
                    "coverage": Dictionary(uniqueKeysWithValues: Self.errorTargets.map { target in
                        (String(target), e.coverage(atError: target).map { ["coverage": $0.coverage, "threshold": Double($0.threshold)] } as Any? ?? NSNull())
                    }),
                    "precision": (0..<10).map(e.precision), "recall": (0..<10).map(e.recall), "confusion": e.confusion,
                ]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
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

private extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
