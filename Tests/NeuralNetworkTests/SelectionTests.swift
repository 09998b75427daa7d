import NeuralNetwork
import Testing

/// The calibration error and the risk–coverage points on answers small enough to work out by hand.
struct SelectionTests {
    static func answers(_ list: [(right: Bool, confidence: Float)]) -> [Evaluation.Answer] {
        list.map { Evaluation.Answer(actual: 3, predicted: $0.right ? 3 : 5, confidence: $0.confidence) }
    }

    @Test func calibrationErrorIsTheWeightedGapPerBin() {
        // Bin (0.8667, 0.9333]: 0.9, 0.9 (one right) -> gap |0.5 - 0.9| = 0.4, weight 2/4.
        // Bin (0.9333, 1]: 1.0, 1.0 (both right) -> gap 0, weight 2/4.
        let e = Evaluation(answers: Self.answers([(true, 0.9), (false, 0.9), (true, 1), (true, 1)]))
        #expect(abs(e.calibrationError(bins: 15) - 0.2) < 1e-6)
        // Perfectly calibrated: 3 of 4 right at 0.75.
        let calibrated = Evaluation(answers: Self.answers([(true, 0.75), (true, 0.75), (true, 0.75), (false, 0.75)]))
        #expect(calibrated.calibrationError(bins: 15) < 1e-6)
    }

    @Test func coverageStopsBeforeTheFirstConfidentMistake() {
        let e = Evaluation(answers: Self.answers([(true, 0.99), (true, 0.98), (false, 0.97), (true, 0.5), (true, 0.4)]),
                           unanswered: 5)
        let strict = e.coverage(atError: 0)
        #expect(strict?.coverage == 0.2)  // 2 of the 10 images
        #expect(strict?.threshold == 0.98)
        // With one mistake allowed among five (20%), all five answers.
        #expect(e.coverage(atError: 0.2)?.coverage == 0.5)
        #expect(e.selection(threshold: 0.5) == (coverage: 0.4, error: 0.25))
    }

    @Test func tiesAreAcceptedTogetherOrNotAtAll() {
        let e = Evaluation(answers: Self.answers([(true, 0.9), (false, 0.9)]))
        #expect(e.coverage(atError: 0) == nil)
        #expect(e.coverage(atError: 0.5)?.coverage == 1)
    }
}
