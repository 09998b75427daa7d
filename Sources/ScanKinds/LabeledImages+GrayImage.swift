import Imaging
import NeuralNetwork

extension LabeledImages {
    /// Image `i` as a 28x28 GrayImage (MNIST convention: 255 = ink).
    public func image(_ i: Int) -> GrayImage {
        GrayImage(width: 28, height: 28, pixels: Array(pixels[(i * 784)..<((i + 1) * 784)]))
    }
}
