import Foundation
import Parallel

/// Batch inference on all cores. One caller at a time (it reuses its buffers).
public final class Classifier: @unchecked Sendable {
    public let model: Model
    private let threads: Int
    private let workspaces: [Workspace]

    /// `chunk` images per thread at a time: small enough that a chunk's activations stay in L2.
    public init(model: Model, threads: Int = defaultThreadCount, chunk: Int = 16) {
        self.model = model
        self.threads = threads
        workspaces = (0..<threads).map { _ in Workspace(capacity: chunk, training: false) }
    }

    /// Logits (n×10) for n images of 28×28 pixels in [0,1] (n×784, row-major, 1 = ink).
    public func logits(pixels: [Float]) -> [Float] {
        precondition(pixels.count % SeedCNN.pixels == 0, "pixels must be a whole number of 28x28 images")
        let count = pixels.count / SeedCNN.pixels
        var logits = [Float](repeating: 0, count: count * SeedCNN.classes)
        let ranges = split(count, into: min(threads, max(count, 1)))
        pixels.withUnsafeBufferPointer { pixels in
            logits.withUnsafeMutableBufferPointer { out in
                let (pixels, out) = (pixels.baseAddress!, out.baseAddress!)
                model.parameters.withUnsafeBufferPointer { parameters in
                    parallelFor(ranges.count) { t in
                        let workspace = workspaces[t]
                        var start = ranges[t].lowerBound
                        while start < ranges[t].upperBound {
                            let n = min(workspace.capacity, ranges[t].upperBound - start)
                            workspace.input.pointer.update(from: pixels + start * 784, count: n * 784)
                            workspace.normalizeInput(count: n, model.normalization)
                            workspace.forward(parameters.baseAddress!, count: n)
                            (out + start * 10).update(from: workspace.logits.pointer, count: n * 10)
                            start += n
                        }
                    }
                }
            }
        }
        return logits
    }

    /// The most likely digit of each image, with its softmax probability (of the logits divided
    /// by the model's temperature, when it is calibrated).
    public func classify(pixels: [Float]) -> [(digit: Int, confidence: Float)] {
        predictions(pixels: pixels).map { ($0.digit, $0.confidence) }
    }

    /// What the network makes of each image: every digit, most likely first, and its likeness.
    public func predictions(pixels: [Float]) -> [Prediction] {
        let logits = logits(pixels: pixels)
        let temperature = model.calibration?.temperature ?? 1
        return stride(from: 0, to: logits.count, by: SeedCNN.classes).map { start in
            Prediction(logits: logits[start..<(start + SeedCNN.classes)], temperature: temperature)
        }
    }

    /// softmax(logits / temperature).
    static func softmax(_ logits: ArraySlice<Float>, temperature: Float) -> [Float] {
        let largest = logits.max()!
        let exps = logits.map { expf(($0 - largest) / temperature) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}
