import DigitdCore
import Foundation
import NeuralNetwork
import Testing

/// MNIST from ../shared/data/mnist beside the repository (never copied into it).
/// Tests that need it are `.enabled(if: MNIST.available, MNIST.absent)`, so a
/// machine without it reports them skipped, and says why.
public enum MNIST {
    public static let folder = Repository.shared.appendingPathComponent("data/mnist").path

    public static var available: Bool { FileManager.default.fileExists(atPath: folder + "/t10k-images-idx3-ubyte.gz") }

    public static let absent: Comment = "MNIST not found at ../shared/data/mnist beside the repository: skipped"

    /// The images or labels file of a set ("train" or "t10k").
    public static func file(_ set: String, _ kind: String) -> String { MNISTFolder(folder).file(set, kind) }

    /// The first `limit` images of a set (28x28, 255 = ink), or only those of them labelled `digit`.
    public static func load(_ set: String, limit: Int = .max, only digit: UInt8? = nil) throws -> LabeledImages {
        let first = try MNISTFolder(folder).load(set, first: limit)
        guard let digit else { return first }
        return first.subset(first.labels.indices.filter { first.labels[$0] == digit })
    }
}
