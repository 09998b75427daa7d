/// Accuracy, per-class precision and recall, and the confusion matrix of a model on a test set.
public struct Evaluation: Sendable {
    /// confusion[actual][predicted]
    public let confusion: [[Int]]

    public init(classifier: Classifier, images: LabeledImages, chunk: Int = 512) {
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        var pixels = [Float](repeating: 0, count: chunk * SeedCNN.pixels)
        var start = 0
        while start < images.count {
            let n = min(chunk, images.count - start)
            if n < chunk { pixels = [Float](repeating: 0, count: n * SeedCNN.pixels) }
            pixels.withUnsafeMutableBufferPointer { target in
                for i in 0..<n { images.write(start + i, to: target.baseAddress! + i * SeedCNN.pixels) }
            }
            for (i, prediction) in classifier.classify(pixels: pixels).enumerated() {
                confusion[Int(images.labels[start + i])][prediction.digit] += 1
            }
            start += n
        }
        self.confusion = confusion
    }

    public var total: Int { confusion.joined().reduce(0, +) }
    public var correct: Int { (0..<10).reduce(0) { $0 + confusion[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Of the images predicted as `digit`, the fraction that are.
    public func precision(_ digit: Int) -> Double {
        let predicted = (0..<10).reduce(0) { $0 + confusion[$1][digit] }
        return predicted == 0 ? 0 : Double(confusion[digit][digit]) / Double(predicted)
    }

    /// Of the images that are `digit`, the fraction predicted as such.
    public func recall(_ digit: Int) -> Double {
        let actual = confusion[digit].reduce(0, +)
        return actual == 0 ? 0 : Double(confusion[digit][digit]) / Double(actual)
    }
}
