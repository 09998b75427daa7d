/// What `digitctl` asks of digitd (DESIGN §8), one contract with three sides:
/// the daemon itself (DaemonControl, which adds the caller the kernel names),
/// `ControlClient` over the control socket, and `OfflineControl` on the folders
/// when no daemon runs.
/// `DaemonConfig.control(socket:)` is the one place that picks.
public protocol DigitdControl: Sendable {
    func status() throws -> DaemonStatus
    func relabel(_ request: RelabelRequest) throws -> RelabelResult
    /// Queues a fine-tune (joining one already queued).
    func requestFineTune() throws -> FineTuneReport
    /// The run in progress, else the one queued, else the last one.
    func fineTuneReport() throws -> FineTuneReport
    func models() throws -> ModelRegistry.Contents
    func rollback(_ request: RollbackRequest) throws -> RollbackResult
    /// Up to `limit` undecided scans, most useful to label first.
    func reviewQueue(limit: Int) throws -> [ReviewItem]
    /// A scan of the queue as a PNG, by its claim id.
    func reviewPicture(claim: String, _ kind: ReviewPicture) throws -> [UInt8]
    /// The status page's figures: scans by status and over time, the queue, corrections.
    func reviewSummary() throws -> ReviewSummary
    /// Takes back a label (a review decision undone).
    func unlabel(_ request: UnlabelRequest) throws -> UnlabelResult
}

extension DaemonConfig {
    /// The running digitd through its socket (`socket`, else the layout's)
    /// when one answers, else its folders.
    public func control(socket: String? = nil) -> any DigitdControl {
        let client = ControlClient(socket: socket ?? layout.socket)
        return client.isRunning ? client : OfflineControl(config: self)
    }
}
