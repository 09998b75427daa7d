import NeuralNetwork
import Testing

/// Which answers are trusted: the threshold comes from the calibration's selection curve at the
/// operator's target error, and what looks like no digit goes to review whatever its confidence.
struct ReviewPolicyTests {
    /// Logits of one image: `top` for the digit `digit`, `rest` for the others.
    static func logits(_ digit: Int, top: Float, rest: Float = 0) -> [Float] {
        (0..<10).map { $0 == digit ? top : rest }
    }

    /// 1,000 answers: the more confident, the more often right.
    static let calibration: Calibration = {
        var all: [Float] = [], labels: [Int] = []
        for i in 0..<1000 {
            all += logits(3, top: Float(2 + i % 10))
            labels.append(i % 10 < 3 && i % 7 == 0 ? 4 : 3)  // wrong only among the least confident
        }
        return Calibration.fit(logits: all, labels: labels, fittedOn: "synthetic")
    }()

    static func prediction(_ logits: [Float], _ calibration: Calibration) -> Prediction {
        Prediction(logits: logits[...], temperature: calibration.temperature)
    }

    @Test func answersBelowTheThresholdGoToReviewWithTheirConfidence() throws {
        let policy = ReviewPolicy(calibration: Self.calibration, targetError: 0.001)
        let threshold = try #require(policy.threshold)
        #expect(threshold > 0.1 && threshold <= 1)
        let confident = Self.prediction(Self.logits(3, top: 11), Self.calibration)
        let unsure = Self.prediction(Self.logits(3, top: 2), Self.calibration)
        #expect(confident.confidence >= threshold && unsure.confidence < threshold)
        #expect(policy.verdict(confident) == .trusted)
        #expect(policy.verdict(unsure) == .lowConfidence(unsure.confidence))
        #expect(policy.verdict(unsure).reason == "low confidence " + String(format: "%.2f", unsure.confidence))
        // A looser target trusts more.
        let loose = try #require(ReviewPolicy(calibration: Self.calibration, targetError: 0.5).threshold)
        #expect(loose <= threshold)
    }

    @Test func whatLooksLikeNoDigitGoesToReviewAndTwoDigitsInDoubtDoNot() throws {
        let floor = try #require(Self.calibration.likenessFloor)
        let policy = ReviewPolicy(calibration: Self.calibration, targetError: 0.5)
        // Like no digit more than another: the two likeliest hold a fifth.
        let spread = Self.prediction([Float](repeating: 1, count: 10), Self.calibration)
        #expect(abs(spread.likeness - 0.2) < 1e-4 && spread.likeness < floor)
        #expect(policy.verdict(spread) == .notADigit)
        #expect(policy.verdict(spread).reason == "does not look like a digit")
        // A 4 or a 9, hard to tell: unsure, but a digit.
        var inDoubt = Self.logits(4, top: 6)
        inDoubt[9] = 6
        let doubt = Self.prediction(inDoubt, Self.calibration)
        #expect(doubt.likeness > 0.99 && doubt.confidence < 0.51)
        #expect(policy.verdict(doubt) == .lowConfidence(doubt.confidence))
        // 0.5% of the fitting digits lie below the floor, no more.
        let below = (0..<1000).count { Self.prediction(Self.logits(3, top: Float(2 + $0 % 10)), Self.calibration).likeness < floor }
        #expect(below <= 5)
    }

    @Test func anUncalibratedModelTrustsEverythingAndAnUnreachableTargetNothing() {
        let uncalibrated = ReviewPolicy(calibration: nil, targetError: 0.005)
        #expect(uncalibrated.verdict(Prediction(logits: Self.logits(1, top: 0.1)[...], temperature: 1)) == .trusted)
        var hopeless = Self.calibration
        hopeless.selection = hopeless.selection.map { var p = $0; p.error = 0.5; return p }
        let policy = ReviewPolicy(calibration: hopeless, targetError: 0.01)
        #expect(policy.verdict(Self.prediction(Self.logits(3, top: 30), hopeless)) != .trusted)
        #expect(policy.description.contains("every answer goes to review"))
    }
}
