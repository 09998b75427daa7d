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
    public var blank = 0
    public var errors = 0
    public var model = ""
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
}

public final class StatusBoard: @unchecked Sendable {
    let metrics = DaemonMetrics()
    private var status = DaemonStatus()
    private var recent: [(at: Date, files: Int)] = []
    private let lock = NSLock()

    public init(root: String) {
        status.root = root
    }

    public func snapshot(queueDepth: Int) -> DaemonStatus {
        lock.lock()
        defer { lock.unlock() }
        var copy = status
        copy.queueDepth = queueDepth
        copy.uptimeSeconds = Date().timeIntervalSince(status.startedAt)
        let window = recent.filter { $0.at > Date().addingTimeInterval(-60) }
        if let first = window.first {
            let span = max(Date().timeIntervalSince(first.at), 1)
            copy.imagesPerSecond = Double(window.reduce(0) { $0 + $1.files }) / span
        }
        return copy
    }

    func update(_ body: (inout DaemonStatus) -> Void) {
        lock.lock()
        body(&status)
        lock.unlock()
    }

    func recordBatch(_ rows: [ResultRow]) {
        let now = Date()
        update { status in
            status.processed += rows.count
            for row in rows {
                switch row.status {
                case .ok: status.ok += 1
                case .blank: status.blank += 1
                case .error: status.errors += 1
                }
            }
            status.batchSizes[Self.bucket(rows.count), default: 0] += 1
            status.lastBatchAt = now
        }
        metrics.recordBatch(rows)
        lock.lock()
        recent.append((now, rows.count))
        recent.removeAll { $0.at < now.addingTimeInterval(-60) }
        lock.unlock()
    }

    static func bucket(_ size: Int) -> String {
        if size >= 256 { return "256+" }
        var low = 1
        while low * 2 <= size { low *= 2 }
        return low == 1 ? "1" : "\(low)-\(low * 2 - 1)"
    }
}
