import Crypto
import Foundation
import Imaging
import NeuralNetwork

/// One file read, hashed, decoded and normalized, or the one-line reason it
/// could not be. Shared by the daemon's batches and `digitctl classify`.
public struct PreparedScan: Sendable {
    public var sha256 = ""
    public var normalized: NormalizedScan?
    public var failure: String?

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
        inParallel(paths.count, threads: threads) { PreparedScan(path: paths[$0], decoder: decoder, normalizer: normalizer) }
    }

    /// `body(0..<count)` on `threads` threads (index i on thread i % threads), results in order.
    static func inParallel<T>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = SendableSlots(buffer: slots)
            DispatchQueue.concurrentPerform(iterations: min(threads, count)) { t in
                for i in stride(from: t, to: count, by: threads) { slots.buffer[i] = body(i) }
            }
        }
        return results.map { $0! }
    }

    /// The two most likely digits of each scan with ink, in one batch through
    /// the network; nil for blank pages and failures.
    public static func rank(_ scans: [PreparedScan], with classifier: Classifier) -> [[(digit: Int, probability: Float)]?] {
        let inked = scans.indices.filter { scans[$0].normalized.map { !$0.isBlank } ?? false }
        guard !inked.isEmpty else { return scans.map { _ in nil } }
        let logits = classifier.logits(pixels: inked.flatMap { scans[$0].normalized!.pixels })
        var ranked = [[(digit: Int, probability: Float)]?](repeating: nil, count: scans.count)
        for (k, i) in inked.enumerated() { ranked[i] = topTwo(logits[(k * 10)..<(k * 10 + 10)]) }
        return ranked
    }

    static func topTwo(_ logits: ArraySlice<Float>) -> [(digit: Int, probability: Float)] {
        let top = logits.max()!
        let exps = logits.map { expf($0 - top) }
        let total = exps.reduce(0, +)
        let order = exps.indices.sorted { exps[$0] > exps[$1] }
        return order.prefix(2).map { ($0, exps[$0] / total) }
    }
}

/// Lets concurrentPerform's iterations write disjoint slots of one buffer.
private struct SendableSlots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
}

