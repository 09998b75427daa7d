import Foundation
import Imaging
import NeuralNetwork
import Testing

/// MNIST from ../shared/data/mnist beside the repository (never copied into it).
/// Tests that need it are `.enabled(if: MNIST.available, MNIST.absent)`, so a
/// machine without it reports them skipped, and says why.
public enum MNIST {
    public static let folder = Repository.shared.appendingPathComponent("data/mnist").path

    public static var available: Bool { FileManager.default.fileExists(atPath: folder + "/t10k-images-idx3-ubyte.gz") }

    public static let absent: Comment = "MNIST not found at ../shared/data/mnist beside the repository: skipped"

    /// The images file of a set ("train" or "t10k").
    public static func imagesPath(_ set: String) -> String { "\(folder)/\(set)-images-idx3-ubyte.gz" }

    /// The labels file of a set ("train" or "t10k").
    public static func labelsPath(_ set: String) -> String { "\(folder)/\(set)-labels-idx1-ubyte.gz" }

    /// The first `limit` images of a set (28x28, 255 = ink), or only those of them labelled `digit`.
    public static func load(_ set: String, limit: Int = .max, only digit: UInt8? = nil) throws -> LabeledImages {
        let images = try IDXFile.readImages(imagesPath(set))
        let labels = try IDXFile.readLabels(labelsPath(set))
        let count = min(limit, images.count)
        guard let digit else {
            return LabeledImages(pixels: Array(images.images[0..<(count * 784)]), labels: Array(labels[0..<count]))
        }
        let picked = (0..<count).filter { labels[$0] == digit }
        return LabeledImages(pixels: picked.flatMap { images.images[($0 * 784)..<(($0 + 1) * 784)] },
                             labels: picked.map { labels[$0] })
    }
}
