import Crypto
import Foundation
import NeuralNetwork

/// The model being served, swapped between batches without stopping ingestion.
public final class ModelSlot: @unchecked Sendable {
    public struct Loaded: Sendable {
        public var version: String
        public var path: String
        public var classifier: Classifier
    }

    private var loaded: Loaded
    private let lock = NSLock()

    public init(_ loaded: Loaded) {
        self.loaded = loaded
    }

    public var current: Loaded {
        lock.lock()
        defer { lock.unlock() }
        return loaded
    }

    public func swap(to new: Loaded) {
        lock.lock()
        loaded = new
        lock.unlock()
    }

    /// Loads and verifies a model file; its version is its file name and the
    /// start of its SHA-256, so the CSV says exactly which weights produced a row.
    public static func load(path: String, threads: Int) throws -> Loaded {
        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw ModelFileError.unreadable(path: path, reason: error.localizedDescription)
        }
        let model = try ModelFile.decode(bytes, path: path)
        let digest = SHA256.hash(data: bytes).prefix(4).hexString
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Loaded(version: "\(stem)@\(digest)", path: path, classifier: Classifier(model: model, threads: threads))
    }
}
