import Foundation
import Imaging
import NeuralNetwork

/// A folder of scans in the labels/ layout (FOLDER/0..9/), each file's label the name of the
/// folder it is in: an operator's own forms, or a member of the robustness suite. Evaluated the
/// way the daemon would see the files (its decoder and normalizer).
public struct LabelledScans: Sendable {
    public let folder: String

    public init(_ folder: String) { self.folder = folder }

    /// True when FOLDER/0..9/ has at least one of the ten digit folders.
    public var exists: Bool {
        (0...9).contains { FileManager.default.fileExists(atPath: "\(folder)/\($0)") }
    }

    /// Every scan, classified: a blank or unreadable scan counts as unanswered.
    public func evaluate(with classifier: Classifier, threads: Int, decoder: ImageDecoder) throws -> (evaluation: Evaluation, blank: Int, unreadable: Int) {
        var paths: [ContiguousArray<CChar>] = [], labels: [Int] = []
        for digit in 0...9 {
            let sub = "\(folder)/\(digit)"
            var names: [ScanName] = []
            if FileManager.default.fileExists(atPath: sub) {
                try FileOps.list(sub) { name in
                    if !name.isIgnored { names.append(name) }
                    return true
                }
            }
            for name in names.sorted(by: { $0.bytes.lexicographicallyPrecedes($1.bytes) }) {
                guard let info = FileOps.status(sub, name), info.st_mode & S_IFMT == S_IFREG else { continue }
                paths.append(FileOps.path(sub, name))
                labels.append(digit)
            }
        }
        guard !paths.isEmpty else { throw DigitdError("\(folder): no scans in \(folder)/0..9/") }
        let scans = PreparedScan.prepare(paths, threads: threads, decoder: decoder, normalizer: ScanNormalizer())
        var answers: [Evaluation.Answer] = [], blank = 0, unreadable = 0
        // In chunks: one batch of every scan at once would hold all their activations.
        for start in stride(from: 0, to: scans.count, by: 1024) {
            let chunk = Array(scans[start..<min(start + 1024, scans.count)])
            for (k, top) in PreparedScan.rank(chunk, with: classifier).enumerated() {
                if let top {
                    answers.append(Evaluation.Answer(actual: labels[start + k], predicted: top[0].digit, confidence: top[0].probability))
                } else if chunk[k].failure != nil {
                    unreadable += 1
                } else {
                    blank += 1
                }
            }
        }
        return (Evaluation(answers: answers, unanswered: blank + unreadable), blank, unreadable)
    }
}
