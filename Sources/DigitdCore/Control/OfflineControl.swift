/// The control contract on digitd's folders, for when no daemon runs:
/// relabels, the model list and rollbacks work the same (the daemon serves a
/// rollback when it starts); status and fine-tunes need the daemon.
struct OfflineControl: DigitdControl {
    let config: DaemonConfig

    private var notRunning: DigitdError {
        DigitdError("digitd is not running on \(config.layout.root) (no answer on its control socket)")
    }

    func status() throws -> DaemonStatus { throw notRunning }

    func relabel(_ request: RelabelRequest) throws -> RelabelResult {
        try CorrectionStore(layout: config.layout).relabel(request, by: .current(), results: ResultsLog(folder: config.layout.results))
    }

    func requestFineTune() throws -> FineTuneReport { throw notRunning }

    func fineTuneReport() throws -> FineTuneReport { throw notRunning }

    func models() throws -> ModelRegistry.Contents { try config.registry.read() }

    func rollback(_ request: RollbackRequest) throws -> RollbackResult {
        let current = try config.registry.rollback(to: request.version)
        let served = try ModelSlot.load(path: try config.servedModelPath(), threads: 1)
        return RollbackResult(model: served.version, current: current, servedNow: false)
    }
}
