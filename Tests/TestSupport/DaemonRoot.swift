import Foundation
@testable import DigitdCore

/// A runtime root of its own (inbox/, processing/, done/, ...), a config file
/// pointing at it and at the test model, and a staging folder on the same
/// filesystem where inputs are written before they are renamed into the inbox.
/// What takes or gives a ScanName is internal, as ScanName is: the daemon tests
/// `@testable import TestSupport`.
public final class DaemonRoot: @unchecked Sendable {
    public struct Settings: Sendable {
        public var batchMaxSize: Int
        public var batchMaxDelayMs: Int
        public var quietPeriodMs: Int
        public var rescanIntervalS: Double
        /// metrics.listen, when set.
        public var metricsListen: String?
        /// results.formula_guard, when set.
        public var formulaGuard: Bool? = nil
        /// control.admin_group, control.idle_timeout_s and control.max_connections, when set.
        public var adminGroup: String? = nil
        public var idleTimeoutS: Double? = nil
        public var maxConnections: Int? = nil
        /// model.path (default: Harness.modelPath, an untrained and uncalibrated model) and
        /// review.target_error, when set.
        public var modelPath: String? = nil
        public var reviewTargetError: Double? = nil

        public init(batchMaxSize: Int = 16, batchMaxDelayMs: Int = 5, quietPeriodMs: Int = 300, rescanIntervalS: Double = 0.5,
                    metricsListen: String? = nil) {
            self.batchMaxSize = batchMaxSize
            self.batchMaxDelayMs = batchMaxDelayMs
            self.quietPeriodMs = quietPeriodMs
            self.rescanIntervalS = rescanIntervalS
            self.metricsListen = metricsListen
        }
    }

    public let path: String
    public let layout: RuntimeLayout
    public let configPath: String
    public let staging: String
    public let logPath: String
    public var settings: Settings

    public init(_ label: String, _ settings: Settings = Settings()) throws {
        path = TempFolder.unique(label)
        layout = RuntimeLayout(root: path + "/root")
        configPath = path + "/digitd.toml"
        staging = path + "/staging"
        logPath = path + "/digitd.log"
        self.settings = settings
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try layout.create()
        try writeConfig()
    }

    deinit { TempFolder.remove(path) }

    public func writeConfig() throws {
        let text = """
        root = "\(layout.root)"

        [model]
        path = "\(settings.modelPath ?? Harness.modelPath)"

        [batch]
        max_size = \(settings.batchMaxSize)
        max_delay_ms = \(settings.batchMaxDelayMs)

        [watch]
        quiet_period_ms = \(settings.quietPeriodMs)
        rescan_interval_s = \(settings.rescanIntervalS)

        """ + (settings.metricsListen.map { "[metrics]\nlisten = \"\($0)\"\n" } ?? "")
            + (settings.formulaGuard.map { "[results]\nformula_guard = \($0)\n" } ?? "")
            + (settings.reviewTargetError.map { "[review]\ntarget_error = \($0)\n" } ?? "")
            + "[control]\n"
            + (settings.adminGroup.map { "admin_group = \"\($0)\"\n" } ?? "")
            + (settings.idleTimeoutS.map { "idle_timeout_s = \($0)\n" } ?? "")
            + (settings.maxConnections.map { "max_connections = \($0)\n" } ?? "")
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// Starts `digitd --config` on this root, stderr appended to `logPath`;
    /// `environment` is added to the tests' own (the fault switch).
    public func start(environment: [String: String] = [:]) throws -> DaemonProcess {
        try DaemonProcess(executable: Harness.digitd(), arguments: ["--config", configPath], logPath: logPath, environment: environment)
    }

    /// Starts the daemon and waits until its control socket says ready.
    public func startReady(timeout: TimeInterval = 60, environment: [String: String] = [:]) throws -> DaemonProcess {
        let daemon = try start(environment: environment)
        try daemon.waitReady(socket: layout.socket, timeout: timeout)
        return daemon
    }

    // MARK: Inputs

    /// Writes `bytes` to staging/ and renames them into the inbox (as DESIGN §2 asks writers to).
    func drop(_ name: ScanName, _ bytes: [UInt8]) throws {
        try stage(name, bytes)
        try moveIn(name)
    }

    public func drop(_ name: String, _ bytes: [UInt8]) throws { try drop(ScanName(name), bytes) }

    func stage(_ name: ScanName, _ bytes: [UInt8]) throws {
        try RawFile.write(bytes, folder: staging, name: name)
    }

    func moveIn(_ name: ScanName) throws {
        try RawFile.rename(name, from: staging, to: layout.inbox)
    }

    // MARK: Outputs

    /// The names in a folder, raw.
    func names(_ folder: String) throws -> [ScanName] { try RawFile.names(in: folder) }

    /// Every result row, read by the strict RFC 4180 reader.
    public func rows() throws -> [[String: String]] { try StrictCSV.resultRows(in: layout.results) }

    /// Rows grouped by their `file` column.
    public func rowsByFile() throws -> [String: [[String: String]]] {
        Dictionary(grouping: try rows()) { $0["file"] ?? "" }
    }

    /// Finished originals: done/ and failed/ without the `.reason` files.
    public func finishedCount() throws -> Int {
        try names(layout.done).count + names(layout.failed).filter { !$0.description.hasSuffix(".reason") }.count
    }

    /// A short picture of the folders and the log's tail, for failure messages.
    public func describe() -> String {
        func count(_ folder: String) -> String { (try? names(folder).count).map(String.init) ?? "?" }
        let tail = log.split(separator: "\n").suffix(15).joined(separator: "\n")
        return "inbox \(count(layout.inbox)), processing \(count(layout.processing)), done \(count(layout.done)), "
            + "failed \(count(layout.failed)), rows \((try? rows().count).map(String.init) ?? "unreadable"); "
            + "root \(path); log tail:\n\(tail)"
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
