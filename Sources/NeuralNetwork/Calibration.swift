import Foundation

/// What makes a model's confidence mean what it says: a temperature that divides the logits
/// before the softmax (Guo et al. 2017), fitted on labelled data the model was not trained on,
/// and the selection curve measured there after scaling, from which an operator's accepted
/// error rate becomes a confidence threshold. Stored in the model file (version 2).
public struct Calibration: Codable, Sendable, Equatable {
    public var temperature: Float
    /// What it was fitted on, e.g. "robustness suite of MNIST t10k 0-4999 (45000 scans)".
    public var fittedOn: String
    public var images: Int
    /// Expected calibration error (15 bins) on the fitting data, before and after.
    public var errorBefore: Double
    public var errorAfter: Double
    /// Points of the risk–coverage curve on the fitting data, most confident first: accepting
    /// every answer of at least `threshold` accepted `coverage` of the images with `error` of
    /// them wrong.
    public var selection: [SelectionPoint]
    /// The likeness (Prediction.likeness) that all but `likenessShare` of the fitting digits
    /// reach: an image below it does not look like a digit. nil in files calibrated before it.
    public var likenessFloor: Float?

    /// The share of real digits allowed below `likenessFloor`.
    public static let likenessShare = 0.005

    public struct SelectionPoint: Codable, Sendable, Equatable {
        public var threshold: Float
        public var coverage: Double
        public var error: Double
    }

    /// Fits the temperature that minimizes the negative log-likelihood of `labels` under
    /// softmax(logits / T) (convex in 1/T: a golden-section search over log T finds it), then
    /// measures the selection curve with it. `unanswered` images (blank, unreadable) count
    /// against coverage. `logits` holds 10 per image.
    public static func fit(logits: [Float], labels: [Int], unanswered: Int = 0, fittedOn: String) -> Calibration {
        precondition(logits.count == labels.count * SeedCNN.classes && !labels.isEmpty)
        func loss(_ t: Double) -> Double { logLoss(logits: logits, labels: labels, temperature: t) }
        var (low, high) = (log(0.05), log(20.0))
        let ratio = (sqrt(5.0) - 1) / 2
        for _ in 0..<60 {
            let a = high - ratio * (high - low), b = low + ratio * (high - low)
            if loss(exp(a)) < loss(exp(b)) { high = b } else { low = a }
        }
        let temperature = Float(exp((low + high) / 2))
        let before = Evaluation(predictions: Self.predictions(logits, temperature: 1), labels: labels, unanswered: unanswered)
        let scaled = Self.predictions(logits, temperature: temperature)
        let after = Evaluation(predictions: scaled, labels: labels, unanswered: unanswered)
        let likeness = scaled.map(\.likeness).sorted()
        return Calibration(temperature: temperature, fittedOn: fittedOn, images: labels.count + unanswered,
                           errorBefore: before.calibrationError(), errorAfter: after.calibrationError(),
                           selection: Self.curve(after), likenessFloor: likeness[Int(Double(likeness.count) * likenessShare)])
    }

    /// The mean cross-entropy (nats) of the labels under softmax(logits / temperature). A
    /// `notADigit` label counts its divergence from the uniform distribution (its cross-entropy
    /// to uniform less log 10), which, like a digit's, is 0 at its target.
    public static func logLoss(logits: [Float], labels: [Int], temperature: Double = 1) -> Double {
        precondition(logits.count == labels.count * SeedCNN.classes)
        guard !labels.isEmpty else { return 0 }
        var total = 0.0
        for (i, label) in labels.enumerated() {
            let row = logits[(i * SeedCNN.classes)..<((i + 1) * SeedCNN.classes)].map { Double($0) / temperature }
            let largest = row.max()!
            let logSumExp = largest + log(row.reduce(0) { $0 + exp($1 - largest) })
            total += label == Int(notADigit)
                ? logSumExp - row.reduce(0, +) / Double(row.count) - log(Double(row.count))
                : logSumExp - row[label]
        }
        return total / Double(labels.count)
    }

    /// The lowest confidence whose accepted answers were at most `target` wrong on the fitting
    /// data; nil when even the most confident were wrong more often.
    public func threshold(forError target: Double) -> Float? {
        selection.last { $0.error <= target }?.threshold
    }

    static func predictions(_ logits: [Float], temperature: Float) -> [Prediction] {
        stride(from: 0, to: logits.count, by: SeedCNN.classes).map {
            Prediction(logits: logits[$0..<($0 + SeedCNN.classes)], temperature: temperature)
        }
    }

    /// The curve at up to 200 thresholds, evenly spaced in the number of answers accepted.
    static func curve(_ evaluation: Evaluation) -> [SelectionPoint] {
        let sorted = evaluation.answers.sorted { $0.confidence > $1.confidence }
        var points: [SelectionPoint] = []
        var wrong = 0, recorded = 0
        let step = max(1, sorted.count / 200)
        for (i, answer) in sorted.enumerated() {
            wrong += answer.isRight ? 0 : 1
            let accepted = i + 1
            let boundary = accepted == sorted.count || sorted[accepted].confidence < answer.confidence
            guard boundary, accepted - recorded >= step || accepted == sorted.count else { continue }
            recorded = accepted
            points.append(SelectionPoint(threshold: answer.confidence, coverage: Double(accepted) / Double(evaluation.total),
                                         error: Double(wrong) / Double(accepted)))
        }
        return points
    }
}
