/// Labeled 28×28 images as bytes (255 = ink, MNIST's convention): a quarter of the memory
/// of floats, converted to [0,1] only for the batch at hand.
public struct LabeledImages: Sendable {
    public let pixels: [UInt8]
    public let labels: [UInt8]
    public var count: Int { labels.count }

    public init(pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * SeedCNN.pixels, "\(labels.count) labels but \(pixels.count) pixels")
        precondition(labels.allSatisfy { $0 < 10 }, "labels must be digits 0-9")
        self.pixels = pixels
        self.labels = labels
    }

    /// The images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledImages {
        var picked: [UInt8] = []
        picked.reserveCapacity(indices.count * SeedCNN.pixels)
        for i in indices { picked += pixels[(i * SeedCNN.pixels)..<((i + 1) * SeedCNN.pixels)] }
        return LabeledImages(pixels: picked, labels: indices.map { labels[$0] })
    }

    /// `a`'s images, then `b`'s.
    public static func + (a: LabeledImages, b: LabeledImages) -> LabeledImages {
        LabeledImages(pixels: a.pixels + b.pixels, labels: a.labels + b.labels)
    }

    /// Image `index` as floats in [0,1].
    func write(_ index: Int, to target: UnsafeMutablePointer<Float>) {
        pixels.withUnsafeBufferPointer { bytes in
            let image = bytes.baseAddress! + index * SeedCNN.pixels
            for i in 0..<SeedCNN.pixels { target[i] = Float(image[i]) / 255 }
        }
    }
}
