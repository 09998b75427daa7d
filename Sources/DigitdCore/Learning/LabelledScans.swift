import Foundation
import Imaging
import NeuralNetwork

/// A folder of scans in the labels/ layout (FOLDER/0..9/), each file's label the name of the
/// folder it is in: an operator's own forms, or a member of the robustness suite. Read the way
/// the daemon reads files (its decoder and normalizer).
public struct LabelledScans: Sendable {
    public let folder: String

    public init(_ folder: String) { self.folder = folder }

    /// True when FOLDER/0..9/ has at least one of the ten digit folders.
    public var exists: Bool {
        (0...9).contains { FileManager.default.fileExists(atPath: "\(folder)/\($0)") }
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

    /// The scans with ink, normalized (28x28 floats each, in `pixels`) with their labels; blank
    /// and unreadable scans are only counted.
    public func read(threads: Int, decoder: ImageDecoder) throws -> (pixels: [Float], labels: [Int], blank: Int, unreadable: Int) {
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
        var pixels: [Float] = [], inked: [Int] = [], blank = 0, unreadable = 0
        for (scan, label) in zip(PreparedScan.prepare(paths, threads: threads, decoder: decoder, normalizer: ScanNormalizer()), labels) {
            if let normalized = scan.normalized, !normalized.isBlank {
                pixels += normalized.pixels
                inked.append(label)
            } else if scan.failure != nil {
                unreadable += 1
            } else {
                blank += 1
            }
        }
        return (pixels, inked, blank, unreadable)
    }

    /// Every scan, classified: a blank or unreadable scan counts as unanswered.
    public func evaluate(with classifier: Classifier, threads: Int, decoder: ImageDecoder) throws -> (evaluation: Evaluation, blank: Int, unreadable: Int) {
        let scans = try read(threads: threads, decoder: decoder)
        let evaluation = Evaluation(classifier: classifier, pixels: scans.pixels, labels: scans.labels, unanswered: scans.blank + scans.unreadable)
        return (evaluation, scans.blank, scans.unreadable)
    }
}
