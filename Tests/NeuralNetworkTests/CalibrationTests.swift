import Foundation
import Crypto
import NeuralNetwork
import Testing

/// Temperature scaling on answers whose true calibration is known: logits three times too
/// confident, labels drawn from the calibrated softmax.
struct CalibrationTests {
    /// `count` images: labels drawn from softmax(z), the model's logits 3z.
    static func overconfident(_ count: Int, seed: UInt64) -> (logits: [Float], labels: [Int]) {
        var rng = SeededRandom(seed: seed)
        var logits: [Float] = [], labels: [Int] = []
        for _ in 0..<count {
            let right = Int(rng.next() % 10)
            let z = (0..<10).map { $0 == right ? 5 + rng.normal() : rng.normal() }
            let exps = z.map { expf($0) }
            var u = rng.unit() * exps.reduce(0, +), label = 9
            for (k, e) in exps.enumerated() { u -= e; if u <= 0 { label = k; break } }
            logits += z.map { 3 * $0 }
            labels.append(label)
        }
        return (logits, labels)
    }

    static func evaluation(_ data: (logits: [Float], labels: [Int]), temperature: Float) -> Evaluation {
        Evaluation(answers: data.labels.indices.map { i in
            let row = data.logits[(i * 10)..<(i * 10 + 10)].map { $0 / temperature }
            let best = row.indices.max { row[$0] < row[$1] }!
            let total = row.reduce(0) { $0 + expf($1 - row[best]) }
            return Evaluation.Answer(actual: data.labels[i], predicted: best, confidence: 1 / total)
        })
    }

    /// A mark that is not a digit is judged by its distance from the uniform distribution: 0
    /// there, as a digit's loss is 0 at certainty, and growing as one digit stands out.
    @Test func aMarkThatIsNoDigitLosesLessTheFlatterItsAnswer() {
        let flat = [Float](repeating: 0.5, count: 10)
        let leaning = (0..<10).map { $0 == 3 ? Float(2) : 0 }, sure = (0..<10).map { $0 == 3 ? Float(9) : 0 }
        let mark = Int(notADigit)
        #expect(abs(Calibration.logLoss(logits: flat, labels: [mark])) < 1e-12)
        let (a, b) = (Calibration.logLoss(logits: leaning, labels: [mark]), Calibration.logLoss(logits: sure, labels: [mark]))
        #expect(a > 0.1 && b > a, "\(a) \(b)")
        // The same logits as a 3 lose almost nothing; a temperature flattens the mark's answer.
        #expect(Calibration.logLoss(logits: sure, labels: [3]) < 0.002)
        #expect(Calibration.logLoss(logits: sure, labels: [mark], temperature: 3) < b)
    }

    @Test func theFittedTemperatureLowersTheCalibrationErrorOnOtherData() {
        let fitting = Self.overconfident(4000, seed: 1), heldOut = Self.overconfident(4000, seed: 2)
        let calibration = Calibration.fit(logits: fitting.logits, labels: fitting.labels, fittedOn: "synthetic")
        #expect(abs(calibration.temperature - 3) < 0.3, "temperature \(calibration.temperature)")
        #expect(calibration.errorAfter < calibration.errorBefore / 3)
        let before = Self.evaluation(heldOut, temperature: 1).calibrationError()
        let after = Self.evaluation(heldOut, temperature: calibration.temperature).calibrationError()
        #expect(after < 0.03 && after < before / 3, "ECE on held-out data \(before) -> \(after)")
    }

    @Test func theThresholdHoldsItsErrorOnDataItWasNotFitOn() {
        let fitting = Self.overconfident(20000, seed: 3), heldOut = Self.overconfident(20000, seed: 4)
        let calibration = Calibration.fit(logits: fitting.logits, labels: fitting.labels, fittedOn: "synthetic")
        for target in [0.01, 0.05] {
            guard let threshold = calibration.threshold(forError: target) else {
                Issue.record("no threshold for an error of \(target)")
                continue
            }
            let selection = Self.evaluation(heldOut, temperature: calibration.temperature).selection(threshold: threshold)
            // Within sampling error: about 4 standard errors of a binomial at the target.
            let accepted = selection.coverage * 20000
            #expect(selection.error <= target + 4 * (target * (1 - target) / accepted).squareRoot(), "target \(target): \(selection)")
            // Enough accepted answers for the error rate to mean something.
            #expect(selection.coverage > 0.02)
        }
    }

    @Test func aCalibratedModelSoftensItsConfidenceAndKeepsItsDigits() throws {
        var model = Model.initial(seed: 7)
        let pixels = (0..<(20 * SeedCNN.pixels)).map { Float(($0 * 7919) % 256) / 255 }
        let plain = Classifier(model: model).classify(pixels: pixels)
        model.calibration = Calibration.fit(logits: [Float](repeating: 0, count: 10) + [4] + [Float](repeating: 0, count: 9),
                                            labels: [0, 0], fittedOn: "two images")
        model.calibration!.temperature = 2
        let calibrated = Classifier(model: try ModelFile.decode(ModelFile.encode(model), path: "m")).classify(pixels: pixels)
        #expect(calibrated.map(\.digit) == plain.map(\.digit))
        #expect(zip(calibrated, plain).allSatisfy { $0.confidence < $1.confidence || $1.confidence <= 0.1001 })
    }

    /// A file written before calibration existed (version 1) still loads, uncalibrated.
    @Test func versionOneFilesStillLoad() throws {
        let model = Model.initial(seed: 8)
        var bytes = try ModelFile.encode(model)
        bytes[8] = 1
        bytes.removeLast(32)
        bytes += SHA256.hash(data: bytes)
        let loaded = try ModelFile.decode(bytes, path: "v1")
        #expect(loaded.parameters == model.parameters && loaded.calibration == nil)
    }
}
