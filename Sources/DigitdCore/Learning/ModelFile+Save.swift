import Foundation
import NeuralNetwork

extension ModelFile {
    /// Writes atomically (AtomicFile): a crash leaves the old file or the new one.
    public static func save(_ model: Model, to path: String) throws(ModelFileError) {
        let bytes: [UInt8]
        do { bytes = try encode(model) } catch { throw .writeFailed(path: path, reason: "\(error)") }
        do { try AtomicFile.write(bytes, to: path) } catch {
            throw .writeFailed(path: path, reason: String(cString: strerror(error.errno)))
        }
    }
}
