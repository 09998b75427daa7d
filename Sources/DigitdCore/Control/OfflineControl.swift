/// The control contract on digitd's folders, for when no daemon runs:
/// relabels, the model list and rollbacks work the same (the daemon serves a
/// rollback when it starts); status and fine-tunes need the daemon.
struct OfflineControl: DigitdControl {
    let config: DaemonConfig

    struct NotRunning: Error, CustomStringConvertible {
        var root: String
        var description: String { "digitd is not running on \(root) (no answer on its control socket)" }
    }

    func status() throws -> DaemonStatus { throw NotRunning(root: config.layout.root) }

    func relabel(_ request: RelabelRequest) throws -> RelabelResult {
        try CorrectionStore(layout: config.layout).relabel(request, results: ResultsLog(folder: config.layout.results))
    }

    func requestFineTune() throws -> FineTuneReport { throw NotRunning(root: config.layout.root) }

    func fineTuneReport() throws -> FineTuneReport { throw NotRunning(root: config.layout.root) }

    func models() throws -> ModelRegistry.Contents { try config.registry.read() }

    func rollback(_ request: RollbackRequest) throws -> RollbackResult {
        let current = try config.registry.rollback(to: request.version)
        let served = try ModelSlot.load(path: try config.servedModelPath(), threads: 1)
        return RollbackResult(model: served.version, current: current, servedNow: false)
    }
}
