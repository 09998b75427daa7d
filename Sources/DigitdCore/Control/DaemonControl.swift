/// What the control API's server asks of the running daemon: DigitdControl's
/// contract with the caller the kernel named for each change (never one the
/// client states), and the metrics only the daemon has.
protocol DaemonControl: Sendable {
    func status() -> DaemonStatus
    func relabel(_ request: RelabelRequest, by caller: ControlCaller) throws -> RelabelResult
    func requestFineTune(by caller: ControlCaller) -> FineTuneReport
    func fineTuneReport() throws -> FineTuneReport
    func models() throws -> ModelRegistry.Contents
    func rollback(_ request: RollbackRequest, by caller: ControlCaller) throws -> RollbackResult
    func reviewQueue(limit: Int) throws -> [ReviewItem]
    func reviewPicture(claim: String, _ kind: ReviewPicture) throws -> [UInt8]
    func unlabel(_ request: UnlabelRequest, by caller: ControlCaller) throws -> UnlabelResult
    func reviewSummary() throws -> ReviewSummary
    /// Prometheus' text exposition format.
    func metrics() -> String
}

/// `fineTuneReport()` before the first run (404 on the socket).
struct NoFineTuneYet: Error, CustomStringConvertible {
    var description: String { "no fine-tune has run yet" }
}
