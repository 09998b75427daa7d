import Imaging
import NeuralNetwork
import Parallel

/// The scans a freshly trained model is calibrated on: digits it was not trained on, each as a
/// clean scan and as one through a random ScanDegradation, normalized as the daemon does.
public enum CalibrationScans {
    /// The training digits a run keeps out, by a seeded draw: the same for every run of one
    /// seed, so that `digitctl calibrate --mnist` finds the digits `digitctl train` kept out.
    public static func split(_ all: LabeledImages, holdout: Int, seed: UInt64) -> (training: LabeledImages, heldOut: LabeledImages) {
        var order = Array(0..<all.count)
        var shuffler = SeededRandom(seed: seed, 0x484F_4C44)  // "HOLD"
        order.shuffle(using: &shuffler)
        return (all.subset(Array(order[holdout...]).sorted()), all.subset(Array(order[..<holdout]).sorted()))
    }

    /// `model`'s calibration fitted on scans of `heldOut`, digits it was not trained on.
    public static func calibration(of model: Model, heldOut: LabeledImages, seed: UInt64, threads: Int) -> Calibration {
        let scans = make(heldOut, seed: seed, threads: threads)
        return Calibration.fit(
            logits: Classifier(model: model, threads: threads).logits(pixels: scans.pixels), labels: scans.labels, unanswered: scans.blank,
            fittedOn: "\(heldOut.count) MNIST training digits held out, each as a clean and a randomly degraded scan")
    }

    public static func make(_ digits: LabeledImages, seed: UInt64, threads: Int) -> (pixels: [Float], labels: [Int], blank: Int) {
        let normalizer = ScanNormalizer()
        let scans = parallelMap(digits.count * 2, threads: threads) { job -> [Float]? in
            let i = job / 2
            var rng = SeededRandom(seed: seed, 0x4341_4C42, UInt64(job))  // "CALB"
            let scan = job % 2 == 0
                ? ScanKind.clean.render(digits.image(i), rng: &rng)
                : ScanDegradation.random(rng: &rng).render(digits.image(i), rng: &rng)
            guard let normalized = try? normalizer.normalize(scan), !normalized.isBlank else { return nil }
            return normalized.pixels
        }
        var pixels: [Float] = [], labels: [Int] = [], blank = 0
        for (job, scan) in scans.enumerated() {
            guard let scan else { blank += 1; continue }
            pixels += scan
            labels.append(Int(digits.labels[job / 2]))
        }
        return (pixels, labels, blank)
    }
}
