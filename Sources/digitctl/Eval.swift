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
        Review: what digitd trusts at --target-error (the threshold from the model's calibration): the share of digits \
        trusted and the error among them; for a folder of marks that are not digits (DIR/not-a-digit/), the share \
        sent to review.
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

    @Option(help: "The error rate accepted among trusted digits, as [review] target_error.")
    var targetError = DaemonConfig.defaultReviewTargetError

    @Flag(help: "Print JSON instead of text.")
    var json = false

    static let errorTargets = [0.001, 0.005, 0.01]

    struct Member {
        var name: String
        var measured: LabelledScans.Measured
        var evaluation: Evaluation { measured.evaluation }
    }

    func validate() throws {
        if model != nil && root != nil { throw ValidationError("give --model or --root, not both") }
        if (mnist == nil) == (scans == nil) { throw ValidationError("give --mnist DIR or --scans DIR") }
        if !(targetError > 0 && targetError <= 1) { throw ValidationError("--target-error must be in (0, 1]") }
    }

    func run() throws {
        let path = try modelPath()
        let loaded = try ModelFile.load(path)
        let classifier = Classifier(model: loaded)
        if !json, let calibration = loaded.calibration {
            print(String(format: "calibrated: temperature %.3f, fitted on %d scans of %@", calibration.temperature, calibration.images, calibration.fittedOn))
        }
        let policy = ReviewPolicy(calibration: loaded.calibration, targetError: targetError)
        if !json { print("review: \(policy)") }
        var members: [Member] = []
        if let mnist {
            let images = try MNISTFolder(mnist).load("t10k")
            // One pass of the network for both the evaluation and what review trusts.
            let predictions = classifier.predictions(pixels: images.pixels.map { Float($0) / 255 }), labels = images.labels.map(Int.init)
            var review = ReviewTally()
            for (prediction, label) in zip(predictions, labels) { review.add(prediction, label: label, policy: policy) }
            members.append(Member(name: "mnist-test", measured: LabelledScans.Measured(
                evaluation: Evaluation(predictions: predictions, labels: labels), blank: 0, unreadable: 0, review: review)))
        } else if let scans {
            let decoder = ImageDecoder(limits: .default)
            let threads = ProcessInfo.processInfo.activeProcessorCount
            for member in try LabelledScans.members(of: scans) {
                members.append(Member(name: member.name, measured: try member.evaluate(with: classifier, policy: policy, threads: threads, decoder: decoder)))
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

    private func printReport(_ path: String, _ member: Member) {
        let e = member.evaluation, review = member.measured.review
        print("model: \(path)")
        if review.nonDigits > 0 { print(Self.nonDigitLine(review)) }
        guard review.digits > 0 else { return }
        print("\(member.name): \(e.total) images" + (e.unanswered > 0 ? " (\(member.measured.blank) blank, \(member.measured.unreadable) unreadable)" : ""))
        print("accuracy: \(Self.percent(e.accuracy)) (\(e.correct)/\(e.total))")
        print(String(format: "expected calibration error (15 bins): %.2f%%", 100 * e.calibrationError()))
        print(Self.reviewLine(review, policy: targetError))
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

    private func printSuite(_ path: String, _ members: [Member]) {
        print("model: \(path)\n")
        let header = ["scans", "images", "accuracy", "ECE"] + Self.errorTargets.map { String(format: "cov@%.1f%%", 100 * $0) }
            + ["trusted", "err trusted", "to review"]
        let width = max(18, members.map(\.name.count).max()! + 2)
        print(header[0].padding(toLength: width, withPad: " ", startingAt: 0) + header.dropFirst().map { $0.leftPad(12) }.joined())
        let digitMembers = members.filter { $0.measured.review.digits > 0 }, nonDigitMembers = members.filter { $0.measured.review.nonDigits > 0 }
        let all = Evaluation(answers: digitMembers.flatMap(\.evaluation.answers), unanswered: digitMembers.reduce(0) { $0 + $1.evaluation.unanswered })
        let allReview = members.reduce(ReviewTally()) { $0 + $1.measured.review }
        for (name, e, review) in members.map({ ($0.name, $0.evaluation, $0.measured.review) }) + [("all together", all, allReview)] {
            var cells = Array(repeating: "", count: 4 + Self.errorTargets.count)
            if review.digits > 0 {
                cells = ["\(e.total)", Self.percent(e.accuracy), Self.percent(e.calibrationError())]
                    + Self.errorTargets.map { e.coverage(atError: $0).map { Self.percent($0.coverage) } ?? "none" }
                    + [Self.percent(review.coverage), Self.percent(review.errorAmongTrusted)]
            } else {
                cells[0] = "\(review.nonDigits)"
            }
            cells.append(review.nonDigits > 0 ? Self.percent(review.nonDigitsToReview) : "")
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + cells.map { $0.leftPad(12) }.joined())
        }
        print("\ncov@E: the share of digits accepted, most confident first, with at most E of them wrong")
        print(String(format: "trusted: the share of digits digitd trusts at target error %.2f%%; err trusted: wrong among them", 100 * targetError))
        if !nonDigitMembers.isEmpty { print("to review: the share of marks that are not digits sent to review (or found blank)") }
    }

    private static func reviewLine(_ review: ReviewTally, policy target: Double) -> String {
        String(format: "trusted at target error %.2f%%: %.2f%% of the digits, %.2f%% of them wrong; %.2f%% taken for no digit", 100 * target,
               100 * review.coverage, 100 * review.errorAmongTrusted, 100 * Double(review.digitsCalledNotADigit) / Double(max(review.digits, 1)))
    }

    private static func nonDigitLine(_ review: ReviewTally) -> String {
        String(format: "not digits: %d, %.2f%% sent to review (%.2f%% as not looking like a digit)", review.nonDigits,
               100 * review.nonDigitsToReview, 100 * Double(review.nonDigitsCalledNotADigit) / Double(max(review.nonDigits, 1)))
    }

    private func printJSON(_ path: String, _ members: [Member]) throws {
        let report: [String: Any] = [
            "model": path,
            "members": members.map { member -> [String: Any] in
                let e = member.evaluation, review = member.measured.review
                return [
                    "name": member.name, "images": e.total, "correct": e.correct, "accuracy": e.accuracy,
                    "blank": member.measured.blank, "unreadable": member.measured.unreadable, "ece": e.calibrationError(),
                    "review": [
                        "target_error": targetError, "trusted": review.coverage, "error_among_trusted": review.errorAmongTrusted,
                        "non_digits": review.nonDigits, "non_digits_to_review": review.nonDigitsToReview,
                    ] as [String: Any],
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
