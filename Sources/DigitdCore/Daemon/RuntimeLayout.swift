import Foundation

/// Where digitd keeps its files (DESIGN §2): one root, each folder overridable.
public struct RuntimeLayout: Sendable, Equatable {
    public static let systemRoot = "/var/lib/digitd"

    public var root: String
    public var inbox: String
    public var processing: String
    public var done: String
    public var failed: String
    public var results: String
    public var labels: String
    public var models: String
    public var socket: String

    public init(root: String, inbox: String? = nil, processing: String? = nil, done: String? = nil,
                failed: String? = nil, results: String? = nil, labels: String? = nil,
                models: String? = nil, socket: String? = nil) {
        func under(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }
        self.root = root
        self.inbox = inbox ?? under("inbox")
        self.processing = processing ?? under("processing")
        self.done = done ?? under("done")
        self.failed = failed ?? under("failed")
        self.results = results ?? under("results")
        self.labels = labels ?? under("labels")
        self.models = models ?? under("models")
        self.socket = socket ?? under("digitd.sock")
    }

    /// The replay reservoir (confident past inputs), beside the model versions.
    public var replay: String { models + "/replay.bin" }

    /// The results CSVs' index (ResultsIndex): a cache, made again from them when lost.
    public var index: String { models + "/results-index.sqlite" }

    /// Creates every folder (labels/0..9 and labels/not-a-digit included). Renames between inbox,
    /// processing, done and failed must stay on one filesystem to be atomic.
    public func create() throws {
        let folders = [inbox, processing, done, failed, results, models] + CorrectionStore.labels.map { "\(labels)/\(CorrectionStore.folderName($0))" }
        for folder in folders {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let device = { (path: String) -> UInt64? in
            var info = stat()
            return stat(path, &info) == 0 ? UInt64(info.st_dev) : nil
        }
        let devices = Set([inbox, processing, done, failed].compactMap(device))
        guard devices.count == 1 else {
            throw DigitdError("inbox, processing, done and failed must be on one filesystem (renames must be atomic)")
        }
    }
}
