import Foundation
import NeuralNetwork

/// One fine-tune: split the corrections (stratified, rotating with `run`),
/// train from the served model on the rest plus replay, augmented, step back
/// part of the way towards the served weights, then the validation gate: held-out corrections must improve, general accuracy must
/// not drop by more than the margin.
struct FineTuner: Sendable {
    var settings: FineTuneSettings

    init(settings: FineTuneSettings) {
        self.settings = settings
    }

    func run(from base: Model, data: FineTuneData, run: UInt64, shouldContinue: () -> Bool = { true },
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> FineTuneOutcome {
        let start = Date()
        let (training, heldOut) = split(data.corrections, run: run)
        guard !training.isEmpty, !heldOut.isEmpty else {
            throw DigitdError("\(data.corrections.count) correction(s): at least 2 are needed (one to learn from, one to check)")
        }
        var random = SeededRandom(seed: run, 0x4654_554E)  // "FTUN"
        let replayCount = min(data.replay.count, Int(Double(training.count) * settings.replayRatio))
        let replayPicks = Array((0..<data.replay.count).shuffled(using: &random).prefix(replayCount))
        var pixels = training.flatMap(\.pixels)
        var labels = training.map { UInt8($0.digit) }
        for index in replayPicks {
            pixels += data.replay.pixels[(index * SeedCNN.pixels)..<((index + 1) * SeedCNN.pixels)]
            labels.append(data.replay.labels[index])
        }
        let set = LabeledImages(pixels: pixels, labels: labels)
        let held = LabeledImages(pixels: heldOut.flatMap(\.pixels), labels: heldOut.map { UInt8($0.digit) })

        var options = TrainingOptions()
        options.epochs = settings.epochs
        options.batchSize = settings.batchSize
        options.seed = run
        options.optimizer = AdamSettings(learningRate: settings.learningRate)
        options.warmupSteps = 20
        options.augmentation = settings.augmentation
        options.threads = settings.threads
        options.command = "digitd fine-tune #\(run)"
        options.dataset = "\(training.count) corrections + \(replayCount) replay (\(data.generalName))"
        let deadline = start.addingTimeInterval(settings.maxSeconds)
        var cutShort = false
        let result = NeuralNetwork.train(options, on: set, test: nil, from: base, shouldContinue: {
            if Date() > deadline { cutShort = true }
            return !cutShort && shouldContinue()
        }, epochDone: { progress($0.epoch, settings.epochs) })
        guard result.completed else {
            throw DigitdError(cutShort ? "stopped at the time limit (finetune.max_seconds = \(Int(settings.maxSeconds)))" : "interrupted")
        }

        var candidate = result.model
        candidate.parameters = zip(base.parameters, result.model.parameters).map { $0 + settings.interpolation * ($1 - $0) }
        candidate.calibration = calibration(of: candidate, heldOut: held, data: data) ?? base.calibration
        let before = figures(base, held, data.general)
        let after = figures(candidate, held, data.general)
        var reason = ""
        if after.heldOut <= before.heldOut {
            reason = String(format: "held-out corrections did not improve (%.1f%% -> %.1f%%)", 100 * before.heldOut, 100 * after.heldOut)
        } else if 100 * (before.general - after.general) > settings.maxRegressionPoints {
            reason = String(format: "%@ accuracy fell %.2f points (%.2f%% -> %.2f%%), over the %.2f-point margin", data.generalName,
                            100 * (before.general - after.general), 100 * before.general, 100 * after.general, settings.maxRegressionPoints)
        }
        return FineTuneOutcome(candidate: candidate, promoted: reason.isEmpty, reason: reason, before: before, after: after,
                               trained: training.count, heldOut: heldOut.count, replay: replayCount,
                               seconds: Date().timeIntervalSince(start))
    }

    /// The candidate's own calibration, fitted on what it did not learn from (the held-out
    /// corrections and the general set) when those are enough to fit on; nil when not (the
    /// served model's stays).
    private func calibration(of candidate: Model, heldOut: LabeledImages, data: FineTuneData) -> Calibration? {
        let count = heldOut.count + data.general.count
        guard count >= Self.minimumCalibrationImages else { return nil }
        let pixels = (heldOut.pixels + data.general.pixels).map { Float($0) / 255 }
        let logits = Classifier(model: candidate, threads: settings.threads).logits(pixels: pixels)
        return Calibration.fit(logits: logits, labels: (heldOut.labels + data.general.labels).map(Int.init),
                               fittedOn: "\(heldOut.count) held-out corrections and \(data.general.count) images of \(data.generalName)")
    }

    /// Fewer images than this say too little of the rare confident mistakes a threshold rests on.
    static let minimumCalibrationImages = 500

    private func figures(_ model: Model, _ heldOut: LabeledImages, _ general: LabeledImages) -> GateFigures {
        let classifier = Classifier(model: model, threads: settings.threads)
        let generalAccuracy = general.count == 0 ? 1 : Evaluation(classifier: classifier, images: general).accuracy
        return GateFigures(heldOut: Evaluation(classifier: classifier, images: heldOut).accuracy, general: generalAccuracy)
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
        for digit in 0...9 {
            let group = corrections.filter { $0.digit == digit }.sorted { rank($0) < rank($1) }
            let held = Int((Double(group.count) * settings.holdoutFraction).rounded())
            heldOut += group.prefix(held)
            training += group.dropFirst(held)
        }
        if heldOut.isEmpty {
            let largest = (0...9).max { a, b in training.count(where: { $0.digit == a }) < training.count(where: { $0.digit == b }) }!
            let index = training.lastIndex { $0.digit == largest }!
            heldOut.append(training.remove(at: index))
        }
        return (training, heldOut)
    }
}
