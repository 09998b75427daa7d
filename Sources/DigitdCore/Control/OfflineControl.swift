import Foundation
import Imaging

/// The control contract on digitd's folders, for when no daemon runs:
/// relabels, the model list and rollbacks work the same (the daemon serves a
/// rollback when it starts); status and fine-tunes need the daemon.
struct OfflineControl: DigitdControl {
    let config: DaemonConfig
    private let review: ReviewQueue

    init(config: DaemonConfig) {
        self.config = config
        review = Self.review(config)
    }

    private var notRunning: DigitdError {
        DigitdError("digitd is not running on \(config.layout.root) (no answer on its control socket)")
    }

    func status() throws -> DaemonStatus { throw notRunning }

    func relabel(_ request: RelabelRequest) throws -> RelabelResult {
        try review.store.relabel(request, by: .current(), index: review.index)
    }

    func requestFineTune() throws -> FineTuneReport { throw notRunning }

    func fineTuneReport() throws -> FineTuneReport { throw notRunning }

    func models() throws -> ModelRegistry.Contents { try config.registry.read() }

    func rollback(_ request: RollbackRequest) throws -> RollbackResult {
        let current = try config.registry.rollback(to: request.version)
        let served = try ModelSlot.load(path: try config.servedModelPath(), threads: 1)
        return RollbackResult(model: served.version, current: current, servedNow: false)
    }

    func reviewQueue(limit: Int) throws -> [ReviewItem] { try review.items(limit: limit) }

    func reviewPicture(claim: String, _ kind: ReviewPicture) throws -> [UInt8] { try review.picture(claim: claim, kind) }

    func reviewSummary() throws -> ReviewSummary { try review.summary() }

    func unlabel(_ request: UnlabelRequest) throws -> UnlabelResult {
        try review.unlabel(request)
    }

    /// The daemon's index when this user may write it (never one made here that digitd,
    /// another user, could not), else one in memory, made from the CSVs: opened once, so
    /// that `relabel --from-csv` does not read every CSV again for each row.
    private static func review(_ config: DaemonConfig) -> ReviewQueue {
        let layout = config.layout
        let path = FileManager.default.isWritableFile(atPath: layout.index) ? layout.index : nil
        let index = (try? ResultsIndex(path: path, results: layout.results)) ?? ResultsIndex.inMemory(results: layout.results)
        return ReviewQueue(index: index, store: CorrectionStore(layout: layout), decoder: ImageDecoder(limits: config.limits))
    }
}
