import Foundation
import Imaging
import NeuralNetwork

/// A folder holding MNIST's IDX files (`train-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`, …):
/// the one reader of MNIST sets, for `digitctl train`/`eval`, fine-tunes and the tests.
public struct MNISTFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    /// The images or labels file of a set ("train" or "t10k"), gzip'd or not.
    public func file(_ set: String, _ kind: String) -> String {
        let base = "\(path)/\(set)-\(kind)-idx\(kind == "images" ? 3 : 1)-ubyte"
        return FileManager.default.fileExists(atPath: base + ".gz") ? base + ".gz" : base
    }

    /// The whole set, checked: 28x28 images, one label 0-9 for each.
    public func load(_ set: String) throws -> LabeledImages {
        let images = try IDXFile.readImages(file(set, "images"))
        let labels = try IDXFile.readLabels(file(set, "labels"))
        guard images.rows == 28, images.columns == 28 else {
            throw DigitdError("\(file(set, "images")): images are \(images.rows)x\(images.columns), expected 28x28")
        }
        guard images.count == labels.count, labels.allSatisfy({ $0 < 10 }) else {
            throw DigitdError("\(file(set, "labels")): \(labels.count) labels (all 0-9?) for \(images.count) images")
        }
        return LabeledImages(pixels: images.images, labels: labels)
    }

    /// The first `limit` images of the set.
    public func load(_ set: String, first limit: Int) throws -> LabeledImages {
        let all = try load(set)
        return all.subset(Array(0..<min(limit, all.count)))
    }

    /// `limit` images drawn evenly from the whole set (every digit and writer, not the first few).
    public func load(_ set: String, spread limit: Int) throws -> LabeledImages {
        let all = try load(set)
        let count = min(limit, all.count)
        let step = Double(all.count) / Double(max(count, 1))
        return all.subset((0..<count).map { Int(Double($0) * step) })
    }
}
