import Foundation
import Imaging

/// MNIST from ../shared/data/mnist beside the repository (never copied into it).
enum MNISTData {
    static let directory: String = {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
    }()

    static var available: Bool {
        FileManager.default.fileExists(atPath: directory + "/t10k-images-idx3-ubyte.gz")
    }

    static let absentMessage: Comment = "MNIST not found at ../shared/data/mnist: skipped"

    /// The first `count` test digits as 28x28 MNIST-convention images (255 = ink).
    static func testDigits(_ count: Int) throws -> [(image: GrayImage, label: Int)] {
        let images = try IDXFile.readImages(directory + "/t10k-images-idx3-ubyte.gz")
        let labels = try IDXFile.readLabels(directory + "/t10k-labels-idx1-ubyte.gz")
        return (0..<min(count, images.count)).map { i in
            let pixels = Array(images.images[(i * 784)..<((i + 1) * 784)])
            return (GrayImage(width: 28, height: 28, pixels: pixels), Int(labels[i]))
        }
    }
}

import Testing
