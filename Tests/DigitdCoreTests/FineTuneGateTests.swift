import Testing
@testable import DigitdCore

/// The validation gate's verdict on measured figures (FineTuner.verdict).
struct FineTuneGateTests {
    let gate = FineTuner(settings: FineTuneSettings())

    /// An operator who confirms right guesses: every held-out correction is right before and
    /// after, and only the log-loss can show what was learned.
    @Test func confirmationsShowLearningThroughTheLogLoss() {
        let before = GateFigures(heldOut: 1, heldOutLoss: 0.30, general: 0.995)
        #expect(gate.verdict(before: before, after: GateFigures(heldOut: 1, heldOutLoss: 0.12, general: 0.995), base: nil, generalName: "g") == nil)
        let same = gate.verdict(before: before, after: GateFigures(heldOut: 1, heldOutLoss: 0.31, general: 0.995), base: nil, generalName: "g")
        #expect(same == "held-out corrections did not improve (100.0% -> 100.0% right, log-loss 0.300 -> 0.310)")
        // A hair lower is noise, not learning.
        #expect(gate.verdict(before: before, after: GateFigures(heldOut: 1, heldOutLoss: 0.29, general: 0.995), base: nil, generalName: "g")
            == "held-out corrections did not improve (100.0% -> 100.0% right, log-loss 0.300 -> 0.290)")
    }

    @Test func moreRightIsLearningAndFewerRightIsNot() {
        let before = GateFigures(heldOut: 0.5, heldOutLoss: 1.0, general: 0.99)
        #expect(gate.verdict(before: before, after: GateFigures(heldOut: 0.7, heldOutLoss: 1.1, general: 0.99), base: nil, generalName: "g") == nil)
        let worse = gate.verdict(before: before, after: GateFigures(heldOut: 0.4, heldOutLoss: 0.5, general: 0.99), base: nil, generalName: "g")
        #expect(worse == "held-out corrections got worse (50.0% -> 40.0% right)")
    }

    /// Within the margin of the served model but not of the base: losses must not add up.
    @Test func theBaseModelBoundsForgettingOverPromotions() {
        let served = GateFigures(heldOut: 0.5, heldOutLoss: 1.0, general: 0.9950)
        let base = GateFigures(heldOut: 0.5, heldOutLoss: 1.0, general: 0.9965)
        let after = GateFigures(heldOut: 0.9, heldOutLoss: 0.2, general: 0.9940)
        #expect(gate.verdict(before: served, after: after, base: nil, generalName: "anchor set (5000)") == nil)
        let reason = gate.verdict(before: served, after: after, base: base, generalName: "anchor set (5000)")
        #expect(reason == "anchor set (5000) accuracy fell 0.25 points under the base model's (99.65% -> 99.40%), over the 0.20-point margin")
    }

    @Test func shorterStepsAreTriedDownToTheFloor() {
        #expect(gate.interpolations.map { ($0 * 1000).rounded() / 1000 } == [0.7, 0.49, 0.343])
        var settings = FineTuneSettings()
        settings.interpolation = 0.2
        #expect(FineTuner(settings: settings).interpolations == [0.2])
    }

    /// A candidate promoted at a shorter step says what the longer ones were refused for.
    @Test func aShorterStepSaysWhyTheLongerOnesWereRefused() {
        var report = FineTuneReport(run: 3, trigger: "request", state: .promoted)
        (report.before, report.after) = (GateFigures(heldOut: 0.5, general: 0.997), GateFigures(heldOut: 0.8, general: 0.996))
        report.interpolation = 0.49
        report.refusedSteps = ["0.70: anchor set (5000) accuracy fell 0.26 points under the served model's (99.68% -> 99.42%), over the 0.20-point margin"]
        #expect(report.verdict.contains("kept 0.49 of the trained change; refused at 0.70: anchor set (5000) accuracy fell 0.26 points"), "\(report.verdict)")
        report.refusedSteps = []
        #expect(!report.verdict.contains("refused"), "promoted at the first step: nothing to say")
    }
}
