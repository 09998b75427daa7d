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
    /// Model versions whose files are kept in models/ (besides the current one).
    public var keepModels = 5
    var fineTuneSchedule = FineTuneSchedule()
    var fineTune = FineTuneSettings()
    /// Confident inputs kept for replay (0: none).
    public var replaySize = 5000
    /// Where GET /metrics is served over TCP besides the control socket (opt-in).
    public var metricsListen: ListenAddress?
    /// Results' `file` names a spreadsheet would run as a formula are written
    /// with a leading `'` (FormulaGuard).
    public var formulaGuard = true
    /// The error rate accepted among trusted (`ok`) rows: the served model's calibration turns
    /// it into the confidence below which a scan goes to `review`.
    public var reviewTargetError = DaemonConfig.defaultReviewTargetError
    public static let defaultReviewTargetError = 0.005
    /// Who may change things on the control socket, its idle timeout and
    /// connection cap (read at start).
    var control = ControlServer.Settings()

    public struct ListenAddress: Sendable, Equatable {
        public var host: String
        public var port: Int
    }

    public init(root: String) {
        layout = RuntimeLayout(root: root)
    }

    public var registry: ModelRegistry { ModelRegistry(folder: layout.models, keep: keepModels) }

    /// The model digitd serves: the registry's current version (a promoted
    /// fine-tune or a rollback), else the base model: model.path when set,
    /// else the shipped one.
    public func servedModelPath() throws -> String {
        if let current = try registry.currentPath() { return current }
        return try baseModelPath()
    }

    /// model.path when set, else the shipped model.
    public func baseModelPath() throws -> String {
        if let modelPath { return modelPath }
        guard let shipped = ShippedModel.locate() else {
            throw DigitdError("no model: set model.path in the config (the shipped \(ShippedModel.fileName) was not found)")
        }
        return shipped
    }

    /// Reads `path`; `root` (from --root) overrides the file's root.
    public static func load(path: String?, root: String?) throws -> DaemonConfig {
        var file = ConfigFile()
        if let path {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw DigitdError("\(path): cannot read config: \(error.localizedDescription)")
            }
            do { file = try TOMLDecoder(strictDecoding: true).decode(ConfigFile.self, from: text) } catch {
                throw DigitdError("\(path): \(Self.describe(error))")
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
        if let keep = file.model?.keep { keepModels = try Self.positive(keep, "model.keep", max: 1000) }
        if let batch = file.batch {
            batchMaxSize = try Self.positive(batch.max_size ?? batchMaxSize, "batch.max_size", max: 4096)
            batchMaxDelayMilliseconds = try Self.positive(batch.max_delay_ms ?? batchMaxDelayMilliseconds, "batch.max_delay_ms", max: 60_000, allowZero: true)
        }
        if let watch = file.watch {
            quietPeriodMilliseconds = try Self.positive(watch.quiet_period_ms ?? quietPeriodMilliseconds, "watch.quiet_period_ms", max: 3_600_000, allowZero: true)
            rescanIntervalSeconds = watch.rescan_interval_s?.value ?? rescanIntervalSeconds
            guard rescanIntervalSeconds >= 0.1, rescanIntervalSeconds <= 86_400 else {
                throw DigitdError("watch.rescan_interval_s must be between 0.1 and 86400, not \(rescanIntervalSeconds)")
            }
        }
        if let workers = file.workers {
            threads = try Self.positive(workers.threads ?? threads, "workers.threads", max: 256)
        }
        if let limits = file.limits {
            if let mb = limits.max_file_mb { self.limits.maxFileBytes = try Self.positive(mb, "limits.max_file_mb", max: 4096) << 20 }
            if let w = limits.max_width { self.limits.maxWidth = try Self.positive(w, "limits.max_width", max: 1 << 20) }
            if let h = limits.max_height { self.limits.maxHeight = try Self.positive(h, "limits.max_height", max: 1 << 20) }
            if let mp = limits.max_megapixels { self.limits.maxPixels = try Self.positive(mp, "limits.max_megapixels", max: 1000) * 1_000_000 }
            if let seconds = limits.work_budget_s?.value {
                guard seconds >= 0.1, seconds <= 60 else {
                    throw DigitdError("limits.work_budget_s must be between 0.1 and 60, not \(seconds)")
                }
                self.limits.workBudgetSeconds = seconds
            }
        }
        if let level = file.log?.level {
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                throw DigitdError("log.level must be one of trace, debug, info, notice, warning, error, critical")
            }
            logLevel = level
        }
        if let tune = file.finetune { try apply(tune) }
        if let listen = file.metrics?.listen { metricsListen = try Self.address(listen, "metrics.listen") }
        if let on = file.results?.formula_guard { formulaGuard = on }
        if let target = file.review?.target_error?.value {
            guard target > 0, target <= 1 else { throw DigitdError("review.target_error must be in (0, 1], not \(target)") }
            reviewTargetError = target
            fineTune.reviewTargetError = target
        }
        if let control = file.control { try apply(control) }
    }

    private mutating func apply(_ file: ConfigFile.Control) throws {
        if let group = file.admin_group {
            guard !group.isEmpty, !group.contains(where: { $0 == ":" || $0.isWhitespace }) else {
                throw DigitdError("control.admin_group must be a group name, not \"\(group)\"")
            }
            control.adminGroup = group
        }
        if let seconds = file.idle_timeout_s?.value {
            guard seconds >= 0.1, seconds <= 3600 else {
                throw DigitdError("control.idle_timeout_s must be between 0.1 and 3600, not \(seconds)")
            }
            control.idleTimeoutSeconds = seconds
        }
        if let n = file.max_connections { control.maxConnections = try Self.positive(n, "control.max_connections", max: 1024) }
    }

    /// "HOST:PORT", "[IPv6]:PORT" or ":PORT" (all interfaces).
    static func address(_ text: String, _ key: String) throws -> ListenAddress {
        let bad = DigitdError("\(key) must be HOST:PORT (e.g. 127.0.0.1:9464), not \"\(text)\"")
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard !host.contains(where: { $0 == " " || $0 == "/" }) else { throw bad }
        return ListenAddress(host: host, port: port)
    }

    private mutating func apply(_ tune: ConfigFile.FineTune) throws {
        if let v = tune.interval_s?.value {
            guard v == 0 || (v >= 1 && v <= 31_536_000) else {
                throw DigitdError("finetune.interval_s must be 0 (no periodic fine-tunes) or between 1 and 31536000 (a year), not \(v)")
            }
            fineTuneSchedule.intervalSeconds = v
        }
        if let v = tune.min_new_labels { fineTuneSchedule.minNewLabels = try Self.positive(v, "finetune.min_new_labels", max: 1_000_000) }
        fineTuneSchedule.mnist = tune.mnist
        if let folder = tune.anchor {
            guard folder.isEmpty || FileManager.default.fileExists(atPath: MNISTFolder(folder).file("general", "images")) else {
                throw DigitdError("finetune.anchor: \(folder) holds no anchor set (general-images-idx3-ubyte.gz; see `digitctl anchor`)")
            }
            fineTuneSchedule.anchor = folder.isEmpty ? nil : folder
        }
        if let v = tune.general_size { fineTuneSchedule.generalSize = try Self.positive(v, "finetune.general_size", max: 10_000) }
        if let v = tune.mnist_replay { fineTuneSchedule.mnistReplay = try Self.positive(v, "finetune.mnist_replay", max: 60_000, allowZero: true) }
        if let v = tune.replay_size { replaySize = try Self.positive(v, "finetune.replay_size", max: 1_000_000, allowZero: true) }
        if let v = tune.epochs { fineTune.epochs = try Self.positive(v, "finetune.epochs", max: 1000) }
        if let v = tune.batch_size { fineTune.batchSize = try Self.positive(v, "finetune.batch_size", max: 1024) }
        if let v = tune.threads { fineTune.threads = try Self.positive(v, "finetune.threads", max: 256) }
        if let v = tune.learning_rate?.value {
            guard v > 0, v < 1 else { throw DigitdError("finetune.learning_rate must be in (0, 1)") }
            fineTune.learningRate = Float(v)
        }
        if let v = tune.holdout_fraction?.value {
            guard v > 0, v < 1 else { throw DigitdError("finetune.holdout_fraction must be in (0, 1)") }
            fineTune.holdoutFraction = v
        }
        if let v = tune.replay_ratio?.value {
            guard v >= 0, v <= 100 else { throw DigitdError("finetune.replay_ratio must be in [0, 100]") }
            fineTune.replayRatio = v
        }
        if let v = tune.max_regression_points?.value {
            guard v >= 0, v <= 100 else { throw DigitdError("finetune.max_regression_points must be in [0, 100]") }
            fineTune.maxRegressionPoints = v
        }
        if let v = tune.interpolation?.value {
            guard v > 0, v <= 1 else { throw DigitdError("finetune.interpolation must be in (0, 1]") }
            fineTune.interpolation = Float(v)
        }
        if let v = tune.max_seconds?.value {
            guard v >= 1, v <= 86_400 else { throw DigitdError("finetune.max_seconds must be between 1 and 86400, not \(v)") }
            fineTune.maxSeconds = v
        }
        if let v = tune.rotation_degrees?.value {
            guard v >= 0, v <= 90 else { throw DigitdError("finetune.rotation_degrees must be in [0, 90]") }
            fineTune.augmentation.rotationDegrees = Float(v)
        }
        if let v = tune.shift_pixels?.value {
            guard v >= 0, v <= 8 else { throw DigitdError("finetune.shift_pixels must be in [0, 8]") }
            fineTune.augmentation.shiftPixels = Float(v)
        }
        if let v = tune.scale?.value {
            guard v >= 0, v < 0.5 else { throw DigitdError("finetune.scale must be in [0, 0.5)") }
            fineTune.augmentation.scale = Float(v)
        }
    }

    private static func positive(_ value: Int, _ key: String, max: Int, allowZero: Bool = false) throws -> Int {
        guard value >= (allowZero ? 0 : 1), value <= max else {
            throw DigitdError("\(key) must be between \(allowZero ? 0 : 1) and \(max), not \(value)")
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

