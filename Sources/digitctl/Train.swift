import ArgumentParser
import DigitdCore
import Foundation
import NeuralNetwork
import ScanKinds

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the seed CNN on MNIST and write a model file.",
        discussion: """
        Each epoch a share of the digits (--scanned) is drawn as random kinds of scan (low resolution, 1-bit, \
        stretched, other pens, blur) and normalized as digitd normalizes scans; --negatives marks that are not \
        digits (letters, other scripts, scribbles, crossed-out digits, two digits in a box) are taught to be like \
        no digit. --holdout training digits are kept out and the model is calibrated on scans of them. Shows a \
        live progress bar on a terminal (plain lines otherwise), evaluates on the test set after each epoch, and \
        writes the last epoch's model atomically.
        """
    )

    @Option(help: "Folder with MNIST's train-/t10k- images and labels (IDX, gzip'd or not).")
    var mnist: String

    @Option(help: "Passes over the training images.")
    var epochs = 30

    @Option(help: "Images per Adam step.")
    var batch = 64

    @Option(help: "Seed of the initial weights, shuffles and augmentations.")
    var seed: UInt64 = 1

    @Option(help: "Where to write the model.")
    var out = ShippedModel.fileName

    @Option(help: "Peak learning rate (linear warm-up, then cosine decay).")
    var lr: Float = 1e-3

    @Option(help: "Adam weight decay (L2, as torch.optim.Adam).")
    var weightDecay: Float = 0

    @Option(help: "Random rotation range, ± degrees.")
    var rotation: Float = 10

    @Option(help: "Random shift range, ± pixels.")
    var shift: Float = 2

    @Option(help: "Random scale range, 1 ± this.")
    var scale: Float = 0.1

    @Option(help: "Elastic distortion strength in pixels (0: off).")
    var elasticAlpha: Float = 0

    @Option(help: "Elastic distortion smoothness (Gaussian sigma, pixels).")
    var elasticSigma: Float = 4

    @Option(help: "Share of the digits drawn as random kinds of scan each epoch.")
    var scanned: Float = 0.5

    @Option(help: "Marks that are not digits, taught each epoch to be like no digit.")
    var negatives = 12_000

    @Option(help: "Training digits kept out of training to calibrate on (0: not calibrated).")
    var holdout = 5_000

    @Flag(help: "Train on the images as they are.")
    var noAugment = false

    @Option(help: "Threads (default: one per core).")
    var threads = defaultThreadCount

    func validate() throws {
        guard epochs > 0, batch > 0, threads > 0 else { throw ValidationError("--epochs, --batch and --threads must be positive") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive") }
        guard scale >= 0, scale < 1 else { throw ValidationError("--scale must be in [0, 1)") }
        guard scanned >= 0, scanned <= 1 else { throw ValidationError("--scanned must be in [0, 1]") }
        guard negatives >= 0, holdout >= 0, holdout < 60_000 else { throw ValidationError("--negatives and --holdout must be in range") }
        guard rotation >= 0, shift >= 0, elasticAlpha >= 0, elasticSigma > 0 else {
            throw ValidationError("augmentation ranges must not be negative")
        }
    }

    func run() throws {
        let all = try MNISTFolder(mnist).load("train")
        let test = try MNISTFolder(mnist).load("t10k")
        let (training, heldOut) = CalibrationScans.split(all, holdout: holdout, seed: seed)
        var options = TrainingOptions()
        options.epochs = epochs
        options.batchSize = batch
        options.seed = seed
        options.optimizer = AdamSettings(learningRate: lr, weightDecay: weightDecay)
        options.augmentation = noAugment ? nil : AugmentationSettings(
            rotationDegrees: rotation, shiftPixels: shift, scale: scale, elasticAlpha: elasticAlpha, elasticSigma: elasticSigma)
        options.threads = threads
        options.command = (["digitctl"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        options.dataset = String(
            format: "MNIST train: %d digits (%.0f%% as random scans each epoch) and %d non-digits an epoch; %d held out to calibrate; evaluated on t10k (%d)",
            training.count, 100 * scanned, negatives, heldOut.count, test.count)
        let examples = ScanTrainingSet(digits: training, negatives: negatives, scannedShare: scanned,
                                       augmentation: options.augmentation, seed: seed)

        let progress = ProgressBar()
        progress.line("training on \(training.count) digits and \(negatives) non-digits, testing on \(test.count); \(epochs) epochs of batch \(batch), \(threads) threads")
        var (model, summaries, _) = NeuralNetwork.train(options, on: examples, test: test, progress: progress.update) { summary in
            progress.line(String(
                format: "epoch %d/%d: loss %.4f, train %.2f%%, test %.2f%%, lr %.2g, %.1f s (%.0f img/s)",
                summary.epoch, epochs, summary.loss, 100 * summary.trainAccuracy, 100 * (summary.testAccuracy ?? 0),
                summary.learningRate, summary.seconds, summary.imagesPerSecond))
        }
        if holdout > 0 {
            let calibration = CalibrationScans.calibration(of: model, heldOut: heldOut, seed: seed, threads: threads)
            model.calibration = calibration
            progress.line(String(format: "calibrated: temperature %.3f; expected calibration error %.2f%% -> %.2f%% on %d scans",
                                 calibration.temperature, 100 * calibration.errorBefore, 100 * calibration.errorAfter, calibration.images))
        }
        try ModelFile.save(model, to: out)
        let seconds = summaries.reduce(0) { $0 + $1.seconds }
        print(String(format: "accuracy: %.2f%% on the %d test images; wrote %@ (%.0f s)",
                     100 * (summaries.last?.testAccuracy ?? 0), test.count, out, seconds))
    }
}
