/// How a model did on a labelled set: each image's answer and confidence, from which come
/// accuracy, per-class precision and recall, the confusion matrix, the calibration error and
/// the risk–coverage curve (Evaluation+Selection).
public struct Evaluation: Sendable {
    /// One image: its label, the digit the model gave, that digit's softmax probability.
    public struct Answer: Sendable, Equatable {
        public var actual: Int
        public var predicted: Int
        public var confidence: Float

        public init(actual: Int, predicted: Int, confidence: Float) {
            self.actual = actual
            self.predicted = predicted
            self.confidence = confidence
        }

        public var isRight: Bool { actual == predicted }
    }

    public let answers: [Answer]
    /// Images that got no answer (a scan found blank or unreadable): wrong, and never accepted.
    public let unanswered: Int
    /// confusion[actual][predicted], over the answered images.
    public let confusion: [[Int]]

    public init(answers: [Answer], unanswered: Int = 0) {
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: 10), count: 10)
        for answer in answers { confusion[answer.actual][answer.predicted] += 1 }
        self.answers = answers
        self.unanswered = unanswered
        self.confusion = confusion
    }

    /// The classifier's answers for n images of 28x28 floats (n×784, as Classifier takes them)
    /// labelled `labels`; `unanswered` more images got none.
    public init(classifier: Classifier, pixels: [Float], labels: [Int], unanswered: Int = 0) {
        self.init(predictions: classifier.predictions(pixels: pixels), labels: labels, unanswered: unanswered)
    }

    /// The answers of `predictions` for images labelled `labels`; `unanswered` more images got none.
    public init(predictions: [Prediction], labels: [Int], unanswered: Int = 0) {
        self.init(answers: zip(predictions, labels).map { Answer(actual: $1, predicted: $0.digit, confidence: $0.confidence) },
                  unanswered: unanswered)
    }

    public init(classifier: Classifier, images: LabeledImages, chunk: Int = 512) {
        var answers: [Answer] = []
        answers.reserveCapacity(images.count)
        var pixels = [Float](repeating: 0, count: chunk * SeedCNN.pixels)
        var start = 0
        while start < images.count {
            let n = min(chunk, images.count - start)
            if n < chunk { pixels = [Float](repeating: 0, count: n * SeedCNN.pixels) }
            pixels.withUnsafeMutableBufferPointer { target in
                for i in 0..<n { images.write(start + i, to: target.baseAddress! + i * SeedCNN.pixels) }
            }
            for (i, prediction) in classifier.classify(pixels: pixels).enumerated() {
                answers.append(Answer(actual: Int(images.labels[start + i]), predicted: prediction.digit, confidence: prediction.confidence))
            }
            start += n
        }
        self.init(answers: answers)
    }

    /// Every image, answered or not.
    public var total: Int { answers.count + unanswered }
    public var correct: Int { (0..<10).reduce(0) { $0 + confusion[$1][$1] } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Of the images predicted as `digit`, the fraction that are.
    public func precision(_ digit: Int) -> Double {
        let predicted = (0..<10).reduce(0) { $0 + confusion[$1][digit] }
        return predicted == 0 ? 0 : Double(confusion[digit][digit]) / Double(predicted)
    }

    /// Of the answered images that are `digit`, the fraction predicted as such.
    public func recall(_ digit: Int) -> Double {
        let actual = confusion[digit].reduce(0, +)
        return actual == 0 ? 0 : Double(confusion[digit][digit]) / Double(actual)
    }
}
