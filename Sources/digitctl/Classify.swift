import ArgumentParser
import DigitdCore
import Foundation
import Imaging
import NeuralNetwork

struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Classify scans here and now, without a daemon: digit and confidence (and why it would go to review), blank, or the error."
    )

    @Argument(help: "PNG or JPEG scans.")
    var files: [String]

    @Option(help: "Model file (default: the one digitd would serve).")
    var model: String?

    @OptionGroup var daemon: DaemonOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let config = try daemon.load()
        let path = try model ?? config.servedModelPath()
        let loaded = try ModelSlot.load(path: path, threads: config.threads)
        let scans = PreparedScan.prepare(files.map { ContiguousArray($0.utf8CString) }, threads: config.threads,
                                         decoder: ImageDecoder(limits: config.limits), normalizer: ScanNormalizer())
        let predictions = PreparedScan.predict(scans, with: loaded.classifier)
        let policy = ReviewPolicy(calibration: loaded.classifier.model.calibration, targetError: config.reviewTargetError)
        var report: [[String: Any]] = []
        for (i, file) in files.enumerated() {
            var entry: [String: Any] = ["file": file, "model": loaded.version]
            if let failure = scans[i].failure {
                entry["status"] = "error"
                entry["reason"] = failure
                if !json { print("\(file): error: \(failure)") }
            } else if let prediction = predictions[i] {
                let top = prediction.ranked, verdict = policy.verdict(prediction)
                entry["status"] = verdict == .trusted ? "ok" : "review"
                entry["digit"] = top[0].digit
                entry["confidence"] = Double(top[0].probability)
                entry["second_digit"] = top[1].digit
                entry["second_confidence"] = Double(top[1].probability)
                if verdict != .trusted { entry["reason"] = verdict.reason }
                if !json {
                    print("\(file): \(top[0].digit) (\(String(format: "%.4f", top[0].probability)))" + (verdict == .trusted ? "" : ", review: \(verdict.reason)"))
                }
            } else {
                entry["status"] = "blank"
                if !json { print("\(file): blank") }
            }
            report.append(entry)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
        if scans.contains(where: { $0.failure != nil }) { throw ExitCode(1) }
    }
}
