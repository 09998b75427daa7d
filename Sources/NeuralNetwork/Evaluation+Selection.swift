/// Whether confidence means what it says, and how many answers can be trusted at a given
/// error rate: what an operator needs to send the rest to a person.
extension Evaluation {
    /// Expected calibration error (Guo et al. 2017): the answers put in `bins` equal-width bins
    /// by confidence; the gap between each bin's accuracy and its mean confidence, weighted by
    /// the bin's share of the answers.
    public func calibrationError(bins: Int = 15) -> Double {
        guard !answers.isEmpty else { return 0 }
        var count = [Int](repeating: 0, count: bins), right = count
        var confidence = [Double](repeating: 0, count: bins)
        for answer in answers {
            // Bins are (lower, upper]: a confidence of exactly 1 is in the last one.
            let bin = min(bins - 1, max(0, Int((Double(answer.confidence) * Double(bins)).rounded(.up)) - 1))
            count[bin] += 1
            right[bin] += answer.isRight ? 1 : 0
            confidence[bin] += Double(answer.confidence)
        }
        return (0..<bins).reduce(0) { sum, b in
            guard count[b] > 0 else { return sum }
            let gap = abs(Double(right[b]) / Double(count[b]) - confidence[b] / Double(count[b]))
            return sum + gap * Double(count[b]) / Double(answers.count)
        }
    }

    /// What accepting every answer of at least `threshold` confidence gives: the share of all
    /// images accepted (unanswered ones never are) and the error rate among them.
    public func selection(threshold: Float) -> (coverage: Double, error: Double) {
        let accepted = answers.filter { $0.confidence >= threshold }
        let wrong = accepted.count(where: { !$0.isRight })
        return (total == 0 ? 0 : Double(accepted.count) / Double(total), accepted.isEmpty ? 0 : Double(wrong) / Double(accepted.count))
    }

    /// The most images that can be accepted, most confident first, with an error rate among
    /// them of at most `target`, and the confidence threshold that accepts them: one point of
    /// the risk–coverage curve (Geifman & El-Yaniv 2017). Nil when not even the most confident
    /// answers are right often enough. Answers of equal confidence are accepted together.
    public func coverage(atError target: Double) -> (coverage: Double, threshold: Float)? {
        let sorted = answers.sorted { $0.confidence > $1.confidence }
        var wrong = 0
        var best: (count: Int, threshold: Float)?
        for (i, answer) in sorted.enumerated() {
            wrong += answer.isRight ? 0 : 1
            let accepted = i + 1
            let boundary = accepted == sorted.count || sorted[accepted].confidence < answer.confidence
            if boundary && Double(wrong) <= target * Double(accepted) { best = (accepted, answer.confidence) }
        }
        return best.map { (Double($0.count) / Double(total), $0.threshold) }
    }
}
