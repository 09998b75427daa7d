import Foundation

final class StatusBoard: @unchecked Sendable {
    let metrics = DaemonMetrics()
    private var status = DaemonStatus()
    private var recent: [(at: Date, files: Int)] = []
    private let lock = NSLock()

    init(root: String) {
        status.root = root
    }

    func snapshot(queueDepth: Int) -> DaemonStatus {
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
                case .review: status.review += 1
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
