import Foundation
import Imaging

/// The scans a person should look at, most useful first (ResultsIndex.queue), and their
/// pictures, made from done/ by claim id: no name or path from a client opens a file.
struct ReviewQueue: Sendable {
    /// A thumbnail fits in this many pixels a side.
    static let thumbnailSide = 160

    let index: ResultsIndex
    let store: CorrectionStore
    let decoder: ImageDecoder

    /// Up to `limit` undecided scans, one per image.
    func items(limit: Int) throws -> [ReviewItem] {
        try index.catchUp()
        return try index.queue(limit: min(max(limit, 0), 10_000), decided: store.labelled()).compactMap(ReviewItem.init)
    }

    /// The figures of the status page. Throughput buckets are the shortest of 1 min, 5 min,
    /// 15 min, 1 h, 6 h and 1 day that cover the rows' span in at most 60 bars.
    func summary() throws -> ReviewSummary {
        try index.catchUp()
        let decided = store.labelled()
        let span = try index.span()
        let seconds = span.map { range in
            [60, 300, 900, 3600, 21_600, 86_400].first { Double($0 * 60) >= range.upperBound.timeIntervalSince(range.lowerBound) } ?? 86_400
        } ?? 60
        var corrections = Array(repeating: Array(repeating: 0, count: 11), count: 10)
        var counted = 0
        for sha in decided {
            guard let record = store.readRecord(sha), let said = record.previousDigit, (0...9).contains(said) else { continue }
            corrections[said][record.digit ?? 10] += 1
            counted += 1
        }
        return ReviewSummary(
            counts: Dictionary(uniqueKeysWithValues: try index.counts().map { ($0.key.rawValue, $0.value) }),
            throughput: try index.throughput(bucketSeconds: seconds).map { ReviewSummary.Bucket(start: $0.start, scans: $0.scans) },
            bucketSeconds: seconds, waiting: try index.waiting(decided: decided), corrections: corrections, decided: counted)
    }

    /// Takes back the label of the image behind a row.
    func unlabel(_ request: UnlabelRequest) throws -> UnlabelResult {
        guard let row = try index.row(claim: request.claim) else { throw DigitdError("unknown scan \(request.claim): no result row has that claim") }
        return UnlabelResult(removed: try store.unlabel(sha256: row.sha256))
    }

    /// One of the scan's pictures as a PNG.
    func picture(claim: String, _ kind: ReviewPicture) throws -> [UInt8] {
        let (original, _) = try store.locate(claim: claim, index: index)
        let bytes = try CorrectionStore.readRegularFile(original.folder, original.name)
        do {
            let image = try decoder.decode(bytes, budget: WorkBudget(seconds: decoder.limits.workBudgetSeconds)).image
            switch kind {
            case .original:
                let scale = min(1, Double(Self.thumbnailSide) / Double(max(image.width, image.height, 1)))
                let width = max(1, Int((Double(image.width) * scale).rounded())), height = max(1, Int((Double(image.height) * scale).rounded()))
                return try PNGEncoder.encode(image.resampled(toWidth: width, height: height))
            case .normalized:
                let scan = try ScanNormalizer().normalize(image)
                return try PNGEncoder.encode(GrayImage(width: NormalizedScan.side, height: NormalizedScan.side, pixels: scan.bytes))
            }
        } catch {
            throw DigitdError("\(original.name): \(error)")
        }
    }
}
