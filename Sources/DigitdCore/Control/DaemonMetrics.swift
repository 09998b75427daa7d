import Foundation
import Prometheus

/// The daemon in Prometheus' text format: GET /metrics on the control socket,
/// and on `metrics.listen` when set. The scan counters and the batch-size
/// histogram grow as batches are recorded; the gauges are set from the status
/// at each scrape.
final class DaemonMetrics: @unchecked Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let scans: [ResultRow.Status: Counter]
    private let batchSizes: ValueHistogram
    private let ready, degraded, uptime, queueDepth, filesPerSecond, replayExamples, fineTuneRuns: Gauge
    private let modelInfo: MetricNameDescriptor
    private var model: (version: String, gauge: Gauge)?
    private let lock = NSLock()

    init() {
        let registry = registry
        func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "digitd", metricName: name, unitName: unit, helpText: help)
        }
        scans = Dictionary(uniqueKeysWithValues: ResultRow.Status.allCases.map { status in
            (status, registry.makeCounter(descriptor: name("scans", "total", "Scans recorded in the results CSV, by status"),
                                          labels: [("status", status.rawValue)]))
        })
        batchSizes = registry.makeValueHistogram(descriptor: name("batch_size", "files", "Files per classified batch"),
                                                 buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        ready = registry.makeGauge(descriptor: name("ready", "", "1 once the model is loaded and the inbox watched"))
        degraded = registry.makeGauge(descriptor: name("degraded", "", "1 while a fault (disk full, I/O error) pauses intake"))
        uptime = registry.makeGauge(descriptor: name("uptime", "seconds", "Seconds since digitd started"))
        queueDepth = registry.makeGauge(descriptor: name("queue_depth", "files", "Files seen in the inbox, not yet claimed (bounded)"))
        filesPerSecond = registry.makeGauge(descriptor: name("files_per_second", "", "Files recorded per second over the last minute"))
        replayExamples = registry.makeGauge(descriptor: name("replay_examples", "", "Confident inputs kept for fine-tuning replay"))
        fineTuneRuns = registry.makeGauge(descriptor: name("finetune_runs", "", "Fine-tune runs so far in this root"))
        modelInfo = name("model", "info", "The model digitd classifies with (always 1)")
    }

    func recordBatch(_ rows: [ResultRow]) {
        for status in ResultRow.Status.allCases {
            let count = rows.count { $0.status == status }
            if count > 0 { scans[status]!.increment(by: Int64(count)) }
        }
        batchSizes.record(Double(rows.count))
    }

    /// The exposition for a scrape, with the gauges read from `status`.
    func exposition(_ status: DaemonStatus) -> String {
        lock.lock()
        defer { lock.unlock() }
        ready.set(to: status.ready ? 1 : 0)
        degraded.set(to: status.degraded == nil ? 0 : 1)
        uptime.set(to: status.uptimeSeconds)
        queueDepth.set(to: Double(status.queueDepth))
        filesPerSecond.set(to: status.imagesPerSecond)
        replayExamples.set(to: Double(status.replayExamples))
        fineTuneRuns.set(to: Double(status.fineTune?.run ?? 0))
        // The served model as an info metric: one series, its label the version.
        if model?.version != status.model {
            if let old = model { registry.unregisterGauge(old.gauge) }
            let gauge = registry.makeGauge(descriptor: modelInfo, labels: [("model", status.model)])
            gauge.set(to: 1)
            model = (status.model, gauge)
        }
        return registry.emitToString()
    }
}
