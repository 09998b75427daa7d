import Foundation

/// What `digitctl status` and /metrics report; written by the pipeline,
/// read by the control API.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public var ready = false
    public var startedAt = Date()
    public var uptimeSeconds: Double = 0
    /// Names found in the inbox and waiting to be claimed (bounded; a larger
    /// backlog stays in the inbox until there is room).
    public var queueDepth = 0
    public var processed = 0
    public var ok = 0
    /// Answers not trusted: below the review threshold, or not like a digit.
    public var review = 0
    public var blank = 0
    public var errors = 0
    public var model = ""
    /// Which scans go to review under the served model's calibration (ReviewPolicy).
    public var trust = ""
    /// Batches by size: "1", "2-3", "4-7", ..., "256+".
    public var batchSizes: [String: Int] = [:]
    /// Files per second over the last minute.
    public var imagesPerSecond: Double = 0
    public var lastBatchAt: Date?
    public var root = ""
    /// The fine-tune running or queued, else the last one.
    public var fineTune: FineTuneReport?
    /// Confident inputs kept for replay.
    public var replayExamples = 0
    /// What needs an operator's eye: damaged state found at start (set aside),
    /// label images quarantined after they killed a fine-tune.
    public var problems: [String] = []
    /// A fault of the world digitd is waiting out with intake paused ("disk full on
    /// results/"); nil when all is well.
    public var degraded: String?
}
