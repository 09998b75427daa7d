import Crypto
import Foundation
import Imaging
import NeuralNetwork
import Parallel

/// One file read, hashed, decoded and normalized, or the one-line reason it
/// could not be. Shared by the daemon's batches and `digitctl classify`.
public struct PreparedScan: Sendable {
    public var sha256 = ""
    public var normalized: NormalizedScan?
    public var failure: String?
    /// Set when the failure is the system's, not the file's (no descriptors or memory left):
    /// the pipeline reads the file again once the shortage passes.
    var shortage: SystemError?

    public init(path: ContiguousArray<CChar>, decoder: ImageDecoder, normalizer: ScanNormalizer) {
        FaultInjection.beforeDecoding(path)
        do {
            let bytes = try decoder.readFile(path)
            sha256 = SHA256.hash(data: bytes).hexString
            // Only the 28x28 result is kept: a batch of page scans stays small.
            let budget = WorkBudget(seconds: decoder.limits.workBudgetSeconds)
            normalized = try normalizer.normalize(try decoder.decode(bytes, budget: budget).image, budget: budget)
        } catch {
            failure = "\(error)"
            if case ImageDecodeError.unavailable(let code) = error { shortage = SystemError(errno: code, "read \(String(cString: Array(path)))") }
        }
    }

    /// A file that is not decoded (it was quarantined): only hashed, so its row
    /// still says which content it was.
    init(failure: String, hashing path: ContiguousArray<CChar>, decoder: ImageDecoder) {
        self.failure = failure
        if let bytes = try? decoder.readFile(path) { sha256 = SHA256.hash(data: bytes).hexString }
    }

    /// Prepares every file on `threads` threads.
    public static func prepare(_ paths: [ContiguousArray<CChar>], threads: Int, decoder: ImageDecoder,
                               normalizer: ScanNormalizer) -> [PreparedScan] {
        parallelMap(paths.count, threads: threads) { PreparedScan(path: paths[$0], decoder: decoder, normalizer: normalizer) }
    }

    /// What the network makes of each scan with ink, in one batch through it; nil for blank
    /// pages and failures.
    public static func predict(_ scans: [PreparedScan], with classifier: Classifier) -> [Prediction?] {
        let inked = scans.indices.filter { scans[$0].normalized.map { !$0.isBlank } ?? false }
        guard !inked.isEmpty else { return scans.map { _ in nil } }
        let predictions = classifier.predictions(pixels: inked.flatMap { scans[$0].normalized!.pixels })
        var byScan = [Prediction?](repeating: nil, count: scans.count)
        for (k, i) in inked.enumerated() { byScan[i] = predictions[k] }
        return byScan
    }
}
