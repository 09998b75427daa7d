import Foundation
import Imaging
import NeuralNetwork
import TOMLKit

/// digitd's settings: a TOML file (see etc/digitd.toml) over built-in defaults.
/// Unknown keys are an error, so a typo never silently falls back to a default.
public struct DaemonConfig: Sendable, Equatable {
    public var layout: RuntimeLayout
    /// A model file to serve instead of the registry's current / the shipped one.
    public var modelPath: String?
    public var batchMaxSize = 64
    public var batchMaxDelayMilliseconds = 5
    /// A file found by a rescan (not announced by inotify) is taken once its size
    /// and mtime have not changed for this long.
    public var quietPeriodMilliseconds = 1000
    public var rescanIntervalSeconds = 5.0
    /// Threads for decoding and for the network (default: one per core).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    public var limits = DecodeLimits.default
    public var logLevel = "info"
    /// Optional TCP address for Prometheus `/metrics` ("127.0.0.1:9464"); the
    /// control socket always serves it.
    public var metricsListen: String?

    public init(root: String) {
        layout = RuntimeLayout(root: root)
    }

    /// The model digitd serves: model.path when set, else the registry's
    /// current model under the root, else the shipped one.
    public func servedModelPath() throws -> String {
        if let modelPath { return modelPath }
        let current = "\(layout.models)/current.\(ModelFile.fileExtension)"
        if FileManager.default.fileExists(atPath: current) { return current }
        guard let shipped = ShippedModel.locate() else {
            throw Error(description: "no model: set model.path in the config (the shipped \(ShippedModel.fileName) was not found)")
        }
        return shipped
    }

    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `path`; `root` (from --root) overrides the file's root.
    public static func load(path: String?, root: String?) throws -> DaemonConfig {
        var file = ConfigFile()
        if let path {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw Error(description: "\(path): cannot read config: \(error.localizedDescription)")
            }
            do { file = try TOMLDecoder(strictDecoding: true).decode(ConfigFile.self, from: text) } catch {
                throw Error(description: "\(path): \(Self.describe(error))")
            }
        }
        return try DaemonConfig(file, root: root ?? file.root ?? RuntimeLayout.systemRoot)
    }

    init(_ file: ConfigFile, root: String) throws {
        self.init(root: root)
        let paths = file.paths
        layout = RuntimeLayout(root: root, inbox: paths?.inbox, processing: paths?.processing, done: paths?.done,
                               failed: paths?.failed, results: paths?.results, labels: paths?.labels,
                               models: paths?.models, socket: paths?.socket)
        modelPath = file.model?.path
        if let batch = file.batch {
            batchMaxSize = try Self.positive(batch.max_size ?? batchMaxSize, "batch.max_size", max: 4096)
            batchMaxDelayMilliseconds = try Self.positive(batch.max_delay_ms ?? batchMaxDelayMilliseconds, "batch.max_delay_ms", max: 60_000, allowZero: true)
        }
        if let watch = file.watch {
            quietPeriodMilliseconds = try Self.positive(watch.quiet_period_ms ?? quietPeriodMilliseconds, "watch.quiet_period_ms", max: 3_600_000, allowZero: true)
            rescanIntervalSeconds = watch.rescan_interval_s ?? rescanIntervalSeconds
            guard rescanIntervalSeconds >= 0.1 else { throw Error(description: "watch.rescan_interval_s must be at least 0.1") }
        }
        if let workers = file.workers {
            threads = try Self.positive(workers.threads ?? threads, "workers.threads", max: 256)
        }
        if let limits = file.limits {
            if let mb = limits.max_file_mb { self.limits.maxFileBytes = try Self.positive(mb, "limits.max_file_mb", max: 4096) << 20 }
            if let w = limits.max_width { self.limits.maxWidth = try Self.positive(w, "limits.max_width", max: 1 << 20) }
            if let h = limits.max_height { self.limits.maxHeight = try Self.positive(h, "limits.max_height", max: 1 << 20) }
            if let mp = limits.max_megapixels { self.limits.maxPixels = try Self.positive(mp, "limits.max_megapixels", max: 1000) * 1_000_000 }
        }
        if let level = file.log?.level {
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                throw Error(description: "log.level must be one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = level
        }
        metricsListen = file.metrics?.listen
    }

    private static func positive(_ value: Int, _ key: String, max: Int, allowZero: Bool = false) throws -> Int {
        guard value >= (allowZero ? 0 : 1), value <= max else {
            throw Error(description: "\(key) must be between \(allowZero ? 0 : 1) and \(max), not \(value)")
        }
        return value
    }

    private static func describe(_ error: Swift.Error) -> String {
        if let parse = error as? TOMLParseError {
            return "line \(parse.source.begin.line): \(parse.description)"
        }
        if let unexpected = error as? UnexpectedKeysError {
            return "unknown key(s): " + unexpected.keys.keys.sorted().joined(separator: ", ")
        }
        if case DecodingError.typeMismatch(_, let context) = error {
            return context.codingPath.map(\.stringValue).joined(separator: ".") + ": wrong type"
        }
        return String(describing: error)
    }
}

/// The TOML file as written: every key optional, names as in the file.
struct ConfigFile: Codable {
    struct Paths: Codable {
        var inbox, processing, done, failed, results, labels, models, socket: String?
    }
    struct Model: Codable { var path: String? }
    struct Batch: Codable { var max_size, max_delay_ms: Int? }
    struct Watch: Codable {
        var quiet_period_ms: Int?
        var rescan_interval_s: Double?
    }
    struct Workers: Codable { var threads: Int? }
    struct Limits: Codable { var max_file_mb, max_width, max_height, max_megapixels: Int? }
    struct Log: Codable { var level: String? }
    struct Metrics: Codable { var listen: String? }

    var root: String?
    var paths: Paths?
    var model: Model?
    var batch: Batch?
    var watch: Watch?
    var workers: Workers?
    var limits: Limits?
    var log: Log?
    var metrics: Metrics?
}
