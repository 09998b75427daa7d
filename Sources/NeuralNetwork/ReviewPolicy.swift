import Foundation

/// Which answers to trust: the error rate an operator accepts among trusted answers becomes a
/// confidence threshold through the model's calibration (its selection curve); an answer below
/// it, or an image that does not look like a digit (below the calibration's likeness floor),
/// goes to a person. An uncalibrated model has neither: every answer is trusted.
public struct ReviewPolicy: Sendable, Equatable, CustomStringConvertible {
    public let targetError: Double
    /// Answers less confident than this go to review; above 1 when no threshold met the target
    /// on the calibration data (then every answer does).
    public let threshold: Float?
    public let likenessFloor: Float?

    public enum Verdict: Sendable, Equatable {
        case trusted
        case lowConfidence(Float)
        case notADigit

        /// Why the answer went to review, for the results' `reason` column; empty when trusted.
        public var reason: String {
            switch self {
            case .trusted: ""
            case .lowConfidence(let confidence): "low confidence \(String(format: "%.2f", confidence))"
            case .notADigit: "does not look like a digit"
            }
        }
    }

    public init(calibration: Calibration?, targetError: Double) {
        self.targetError = targetError
        threshold = calibration.map { $0.threshold(forError: targetError) ?? 2 }
        likenessFloor = calibration?.likenessFloor
    }

    public var description: String {
        let target = String(format: "target error %.2f%%", 100 * targetError)
        guard let threshold else { return "the model is not calibrated: every answer is trusted, none goes to review" }
        let confidence = threshold > 1
            ? "no confidence meets the \(target) on the model's calibration data: every answer goes to review"
            : String(format: "answers below confidence %.4f go to review (%@)", threshold, target)
        return confidence + (likenessFloor.map { String(format: ", and so does what looks like no digit (the two likeliest digits below %.2f together)", $0) } ?? "")
    }

    public func verdict(_ prediction: Prediction) -> Verdict {
        if let likenessFloor, prediction.likeness < likenessFloor { return .notADigit }
        if let threshold, prediction.confidence < threshold { return .lowConfidence(prediction.confidence) }
        return .trusted
    }
}
