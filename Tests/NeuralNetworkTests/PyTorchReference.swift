import Foundation
import Testing
import TestSupport

/// The same network trained in PyTorch, in ../shared/reference/pytorch-seedcnn beside the
/// repository (never copied into it): its weights and its logits for MNIST test images.
enum PyTorchReference {
    static let folder = Repository.shared.appendingPathComponent("reference/pytorch-seedcnn").path

    static var available: Bool { FileManager.default.fileExists(atPath: folder + "/seedcnn.f32") }

    static let absent: Comment = "PyTorch reference not found at ../shared/reference/pytorch-seedcnn: skipped"

    /// A file of little-endian float32 values in the reference folder.
    static func floats(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) } }
    }
}
