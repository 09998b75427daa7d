import Foundation
import NeuralNetwork
import ScanKinds

/// One fine-tune: split the corrections (stratified, rotating with `run`),
/// train from the served model on the rest plus replay, augmented, step back
/// part of the way towards the served weights, calibrate, then the validation gate (`verdict`);
/// refused, step back further and ask the gate again (`interpolations`).
struct FineTuner: Sendable {
    var settings: FineTuneSettings

    init(settings: FineTuneSettings) {
        self.settings = settings
    }

    func run(from served: Model, base: Model?, data: FineTuneData, run: UInt64, shouldContinue: () -> Bool = { true },
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> FineTuneOutcome {
        let start = Date()
        let (training, heldOut) = split(data.corrections, run: run)
        guard !training.isEmpty, !heldOut.isEmpty else {
            throw DigitdError("\(data.corrections.count) correction(s): at least 2 are needed (one to learn from, one to check)")
        }
        var random = SeededRandom(seed: run, 0x4654_554E)  // "FTUN"
        let replayCount = min(data.replay.count, Int(Double(training.count) * settings.replayRatio))
        let replayPicks = Array((0..<data.replay.count).shuffled(using: &random).prefix(replayCount))
        let corrected = CorrectionImages(training)
        var (pixels, labels) = (corrected.digits.pixels, corrected.digits.labels)
        for index in replayPicks {
            pixels += data.replay.pixels[(index * SeedCNN.pixels)..<((index + 1) * SeedCNN.pixels)]
            labels.append(data.replay.labels[index])
        }
        let set = FineTuneExamples(digits: LabeledImages(pixels: pixels, labels: labels), marks: corrected.marks,
                                   augmentation: settings.augmentation, seed: run)
        let held = CorrectionImages(heldOut)

        var options = TrainingOptions()
        options.epochs = settings.epochs
        options.batchSize = settings.batchSize
        options.seed = run
        options.optimizer = AdamSettings(learningRate: settings.learningRate)
        options.warmupSteps = 20
        options.augmentation = settings.augmentation
        options.threads = settings.threads
        options.command = "digitd fine-tune #\(run)"
        options.dataset = "\(training.count) corrections (\(corrected.markCount) not digits) + \(replayCount) replay (\(data.generalName))"
        let deadline = start.addingTimeInterval(settings.maxSeconds)
        var cutShort = false
        let result = NeuralNetwork.train(options, on: set, test: nil, from: served, shouldContinue: {
            if Date() > deadline { cutShort = true }
            return !cutShort && shouldContinue()
        }, epochDone: { progress($0.epoch, settings.epochs) })
        guard result.completed else {
            throw DigitdError(cutShort ? "stopped at the time limit (finetune.max_seconds = \(Int(settings.maxSeconds)))" : "interrupted")
        }

        // WiSE-FT's mixing chosen on validation: the largest step towards the trained weights
        // the gate accepts, so a fine-tune that forgets too much at first still lands what it
        // learned at a shorter step.
        let before = figures(served, held, data.general)
        let baseFigures = base.map { figures($0, held, data.general) }
        let scans = calibrationScans(heldOut: held.digits, data: data, run: run)
        var refused: (candidate: Model, figures: GateFigures, reason: String)?
        var refusedSteps: [String] = []
        for interpolation in interpolations {
            var candidate = result.model
            candidate.parameters = zip(served.parameters, result.model.parameters).map { $0 + interpolation * ($1 - $0) }
            candidate.calibration = scans.map { calibration(of: candidate, heldOut: held.digits, scans: $0, generalName: data.generalName) } ?? served.calibration
            let after = figures(candidate, held, data.general)
            let reason = verdict(before: before, after: after, base: baseFigures, generalName: data.generalName)
            guard let reason else {
                return FineTuneOutcome(candidate: candidate, reason: nil, interpolation: interpolation, refusedSteps: refusedSteps,
                                       before: before, after: after, base: baseFigures,
                                       trained: training.count, heldOut: heldOut.count, replay: replayCount, seconds: Date().timeIntervalSince(start))
            }
            if refused == nil { refused = (candidate, after, reason) }
            refusedSteps.append(String(format: "%.2f: %@", interpolation, reason))
        }
        // Refused at every step: the figures and reason of the first, the one training aimed at.
        let first = refused!
        let shorter = interpolations.dropFirst().map { String(format: "%.2f", $0) }.joined(separator: ", ")
        return FineTuneOutcome(candidate: first.candidate, reason: first.reason + (shorter.isEmpty ? "" : " (and at the shorter steps \(shorter))"),
                               interpolation: settings.interpolation, refusedSteps: refusedSteps, before: before, after: first.figures, base: baseFigures,
                               trained: training.count, heldOut: heldOut.count, replay: replayCount, seconds: Date().timeIntervalSince(start))
    }

    /// The steps tried: `settings.interpolation`, then shorter by 0.7 at a time, down to 0.3.
    var interpolations: [Float] {
        [settings.interpolation] + sequence(first: settings.interpolation * 0.7) { $0 * 0.7 }.prefix { $0 >= Self.minimumInterpolation - 1e-6 }.prefix(3)
    }

    /// A candidate keeps at least this much of the trained change: a step shorter than it says
    /// too little of what the corrections taught for the held-out ones to judge.
    static let minimumInterpolation: Float = 0.3

    /// How much lower the held-out log-loss must be, as a fraction, when accuracy ties: less is
    /// noise (a run on two corrections moved it 0.06% and would have been promoted).
    static let minimumLossGain = 0.05

    /// Why the candidate is refused, nil when it is promoted. The held-out corrections must
    /// be more often right, or as often and with a log-loss 5% lower (so that confirmations, and
    /// corrections already right, still show what was learned); the general set may fall at
    /// most the margin below the served model and below the base, so that small losses cannot
    /// add up over promotions.
    func verdict(before: GateFigures, after: GateFigures, base: GateFigures?, generalName: String) -> String? {
        let (lossBefore, lossAfter) = (before.heldOutLoss ?? 0, after.heldOutLoss ?? 0)
        if after.heldOut < before.heldOut {
            return String(format: "held-out corrections got worse (%.1f%% -> %.1f%% right)", 100 * before.heldOut, 100 * after.heldOut)
        }
        if after.heldOut == before.heldOut && lossAfter > lossBefore * (1 - Self.minimumLossGain) {
            return String(format: "held-out corrections did not improve (%.1f%% -> %.1f%% right, log-loss %.3f -> %.3f)",
                          100 * before.heldOut, 100 * after.heldOut, lossBefore, lossAfter)
        }
        for (name, reference) in [("the served model's", before), ("the base model's", base)] {
            guard let reference else { continue }
            let fall = 100 * (reference.general - after.general)
            if fall > settings.maxRegressionPoints {
                return String(format: "%@ accuracy fell %.2f points under %@ (%.2f%% -> %.2f%%), over the %.2f-point margin",
                              generalName, fall, name, 100 * reference.general, 100 * after.general, settings.maxRegressionPoints)
            }
        }
        return nil
    }

    /// What a candidate's own calibration is fitted on, none of which it learned from: the
    /// held-out corrections and the general set as clean and degraded scans (as training
    /// calibrates); nil when those are too few to fit on (the served model's calibration stays).
    private func calibrationScans(heldOut: LabeledImages, data: FineTuneData, run: UInt64) -> (pixels: [Float], labels: [Int], blank: Int)? {
        guard heldOut.count + 2 * data.general.count >= Self.minimumCalibrationImages else { return nil }
        let scans = CalibrationScans.make(data.general, seed: run, threads: settings.threads)
        return (heldOut.pixels.map { Float($0) / 255 } + scans.pixels, heldOut.labels.map(Int.init) + scans.labels, scans.blank)
    }

    private func calibration(of candidate: Model, heldOut: LabeledImages, scans: (pixels: [Float], labels: [Int], blank: Int), generalName: String) -> Calibration {
        let logits = Classifier(model: candidate, threads: settings.threads).logits(pixels: scans.pixels)
        return Calibration.fit(logits: logits, labels: scans.labels, unanswered: scans.blank,
                               fittedOn: "\(heldOut.count) held-out corrections and \((scans.labels.count - heldOut.count) / 2) images of \(generalName), as clean and degraded scans")
    }

    /// Fewer images than this say too little of the rare confident mistakes a threshold rests on.
    static let minimumCalibrationImages = 500

    /// A held-out digit is right when it is the top guess; a held-out mark that is not a digit,
    /// when the model (with its calibration, at review.target_error) would not trust it: it goes
    /// to review. The log-loss takes a mark's divergence from the uniform distribution, its target.
    private func figures(_ model: Model, _ heldOut: CorrectionImages, _ general: LabeledImages) -> GateFigures {
        let classifier = Classifier(model: model, threads: settings.threads)
        let temperature = model.calibration?.temperature ?? 1
        let policy = ReviewPolicy(calibration: model.calibration, targetError: settings.reviewTargetError)
        let logits = classifier.logits(pixels: (heldOut.digits.pixels + heldOut.marks).map { Float($0) / 255 })
        let labels = heldOut.digits.labels.map(Int.init) + Array(repeating: Int(notADigit), count: heldOut.markCount)
        let right = labels.indices.count { i in
            let prediction = Prediction(logits: logits[(i * SeedCNN.classes)..<((i + 1) * SeedCNN.classes)], temperature: temperature)
            return labels[i] == Int(notADigit) ? policy.verdict(prediction) != .trusted : prediction.digit == labels[i]
        }
        let loss = Calibration.logLoss(logits: logits, labels: labels, temperature: Double(temperature))
        let generalAccuracy = general.count == 0 ? 1 : Evaluation(classifier: classifier, images: general).accuracy
        return GateFigures(heldOut: labels.isEmpty ? 1 : Double(right) / Double(labels.count), heldOutLoss: loss, general: generalAccuracy)
    }

    /// Per digit, `holdoutFraction` of its corrections (at least one overall)
    /// held out, chosen by a hash of (image, run): another run holds out others,
    /// so over time every correction is learned from.
    func split(_ corrections: [Correction], run: UInt64) -> (training: [Correction], heldOut: [Correction]) {
        guard corrections.count >= 2 else { return (corrections, []) }
        func rank(_ c: Correction) -> UInt64 {
            var hash = SeededRandom(seed: run, c.sha256.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 })
            return hash.next()
        }
        var training: [Correction] = [], heldOut: [Correction] = []
        let labels = CorrectionStore.labels  // marks that are not digits are held out alike
        for digit in labels {
            let group = corrections.filter { $0.digit == digit }.sorted { rank($0) < rank($1) }
            let held = Int((Double(group.count) * settings.holdoutFraction).rounded())
            heldOut += group.prefix(held)
            training += group.dropFirst(held)
        }
        if heldOut.isEmpty {
            let largest = labels.max { a, b in training.count(where: { $0.digit == a }) < training.count(where: { $0.digit == b }) }!
            let index = training.lastIndex { $0.digit == largest }!
            heldOut.append(training.remove(at: index))
        }
        return (training, heldOut)
    }
}
