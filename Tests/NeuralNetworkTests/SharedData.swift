import Foundation
import Imaging
import NeuralNetwork
import Testing

/// MNIST and the PyTorch reference live in ../shared beside the repository (never copied into it).
enum SharedData {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let mnist = shared.appendingPathComponent("data/mnist").path
    static let reference = shared.appendingPathComponent("reference/pytorch-seedcnn").path

    static var mnistAvailable: Bool { FileManager.default.fileExists(atPath: mnist + "/t10k-images-idx3-ubyte.gz") }
    static var referenceAvailable: Bool { FileManager.default.fileExists(atPath: reference + "/seedcnn.f32") }
    static let mnistAbsent: Comment = "MNIST not found at ../shared/data/mnist beside the repository: skipped"
    static let referenceAbsent: Comment = "PyTorch reference not found at ../shared/reference/pytorch-seedcnn: skipped"

    /// The first `limit` images of an MNIST set ("train" or "t10k").
    static func mnist(_ set: String, limit: Int = .max) throws -> LabeledImages {
        let images = try IDXFile.readImages("\(mnist)/\(set)-images-idx3-ubyte.gz")
        let labels = try IDXFile.readLabels("\(mnist)/\(set)-labels-idx1-ubyte.gz")
        let count = min(limit, images.count)
        return LabeledImages(pixels: Array(images.images[0..<(count * 784)]), labels: Array(labels[0..<count]))
    }

    static func floats(_ path: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian) } }
    }

    /// Images as network input: pixels/255 in [0,1].
    static func pixels(_ images: LabeledImages) -> [Float] { images.pixels.map { Float($0) / 255 } }
}
