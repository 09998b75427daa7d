import Foundation
import Imaging
import NeuralNetwork

/// A folder of scans in the labels/ layout (FOLDER/0..9/, and FOLDER/not-a-digit/ for marks that
/// are not digits), each file's label the name of the folder it is in: an operator's own forms,
/// or a member of the robustness suite. Read the way the daemon reads files (its decoder and
/// normalizer).
public struct LabelledScans: Sendable {
    public let folder: String

    public init(_ folder: String) { self.folder = folder }

    /// The folders of labels, the digits' and the non-digits'.
    private static let labelFolders: [(name: String, label: Int?)] =
        (0...9).map { (digit: Int) in (String(digit), digit) } + [("not-a-digit", nil)]

    /// True when FOLDER has at least one of the ten digit folders or the not-a-digit folder.
    public var exists: Bool {
        Self.labelFolders.contains { FileManager.default.fileExists(atPath: "\(folder)/\($0.name)") }
    }

    /// FOLDER itself when it holds 0..9/, else each of its sub-folders that does (the robustness
    /// suite's layout), by name.
    public static func members(of folder: String) throws -> [LabelledScans] {
        if LabelledScans(folder).exists { return [LabelledScans(folder)] }
        let members = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
            .map { LabelledScans("\(folder)/\($0)") }.filter(\.exists)
        guard !members.isEmpty else { throw DigitdError("\(folder): neither \(folder)/0..9/ nor sub-folders holding 0..9/") }
        return members
    }

    public var name: String { URL(fileURLWithPath: folder).lastPathComponent }

    /// Every scan, normalized (28x28 floats each, in `pixels`; nil when blank or unreadable),
    /// with its label (nil: not a digit).
    public func read(threads: Int, decoder: ImageDecoder) throws -> [(pixels: [Float]?, label: Int?, unreadable: Bool)] {
        let (scans, labels) = try prepare(threads: threads, decoder: decoder)
        return zip(scans, labels).map { scan, label in
            let inked = scan.normalized.flatMap { $0.isBlank ? nil : $0.pixels }
            return (inked, label, scan.failure != nil)
        }
    }

    /// Every scan read, hashed, decoded and normalized, with its label (nil: not a digit).
    private func prepare(threads: Int, decoder: ImageDecoder) throws -> (scans: [PreparedScan], labels: [Int?]) {
        var paths: [ContiguousArray<CChar>] = [], labels: [Int?] = []
        for (folderName, label) in Self.labelFolders {
            let sub = "\(folder)/\(folderName)"
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
                labels.append(label)
            }
        }
        guard !paths.isEmpty else { throw DigitdError("\(folder): no scans in \(folder)/0..9/ or \(folder)/not-a-digit/") }
        return (PreparedScan.prepare(paths, threads: threads, decoder: decoder, normalizer: ScanNormalizer()), labels)
    }

    /// Every scan, classified: the digits' evaluation (a blank or unreadable scan counts as
    /// unanswered), and what `policy` trusts of digits and non-digits.
    public func evaluate(with classifier: Classifier, policy: ReviewPolicy, threads: Int, decoder: ImageDecoder) throws -> Measured {
        let (scans, labels) = try prepare(threads: threads, decoder: decoder)
        var measured = Measured(evaluation: Evaluation(answers: []), blank: 0, unreadable: 0, review: ReviewTally())
        var answered: [Prediction] = [], answeredLabels: [Int] = []
        for ((scan, label), prediction) in zip(zip(scans, labels), PreparedScan.predict(scans, with: classifier)) {
            measured.review.add(prediction, label: label, policy: policy)
            guard let label else { continue }
            if let prediction {
                answered.append(prediction)
                answeredLabels.append(label)
            } else if scan.failure != nil {
                measured.unreadable += 1
            } else {
                measured.blank += 1
            }
        }
        measured.evaluation = Evaluation(predictions: answered, labels: answeredLabels, unanswered: measured.blank + measured.unreadable)
        return measured
    }

    public struct Measured: Sendable {
        public var evaluation: Evaluation
        public var blank: Int, unreadable: Int
        public var review: ReviewTally

        public init(evaluation: Evaluation, blank: Int, unreadable: Int, review: ReviewTally) {
            self.evaluation = evaluation
            self.blank = blank
            self.unreadable = unreadable
            self.review = review
        }
    }
}
