import Foundation
import Imaging
import NeuralNetwork
import ScanKinds

/// A small fixed sample of MNIST training digits shipped beside the model (models/anchor/):
/// the general set a fine-tune is judged on (digits `digitctl train --holdout` kept out, so the
/// shipped model never trained on them) and digits it did train on, replayed beside the
/// corrections. With it, fine-tunes need no MNIST folder. Stored as gzip'd IDX files, read by
/// MNISTFolder, with MNIST's license beside them.
public struct AnchorSet: Sendable {
    public var general: LabeledImages
    public var replay: LabeledImages

    /// MNIST's license, which the anchor set carries (README.md beside the files).
    public static let license = "MNIST, Yann LeCun and Corinna Cortes, CC BY-SA 3.0"
    /// At most this many digits may ship (the only part of MNIST in the repository).
    public static let maximumDigits = 10_000
    public static let folderName = "anchor"

    public init(general: LabeledImages, replay: LabeledImages) {
        self.general = general
        self.replay = replay
    }

    /// From MNIST's training set: the `holdout` digits `digitctl train --holdout H --seed S`
    /// kept out as the general set, and `replay` of the others (a seeded draw) to replay.
    public static func make(training all: LabeledImages, holdout: Int, seed: UInt64, replay: Int) throws -> AnchorSet {
        guard holdout > 0, replay > 0, holdout + replay <= maximumDigits else {
            throw DigitdError("an anchor set holds 1 to \(maximumDigits) digits in all, not \(holdout) + \(replay)")
        }
        guard holdout + replay <= all.count else { throw DigitdError("\(holdout) + \(replay) digits asked of \(all.count)") }
        let (trained, heldOut) = CalibrationScans.split(all, holdout: holdout, seed: seed)
        var order = Array(0..<trained.count)
        var shuffler = SeededRandom(seed: seed, 0x414E_4348)  // "ANCH"
        order.shuffle(using: &shuffler)
        return AnchorSet(general: heldOut, replay: trained.subset(Array(order.prefix(replay)).sorted()))
    }

    /// The anchor set beside the shipped model, when there is one.
    public static func shipped() -> String? {
        guard let model = ShippedModel.locate() else { return nil }
        let folder = URL(fileURLWithPath: model).deletingLastPathComponent().appendingPathComponent(folderName).path
        return FileManager.default.fileExists(atPath: folder + "/README.md") ? folder : nil
    }

    public static func load(_ folder: String) throws -> AnchorSet {
        let files = MNISTFolder(folder)
        return AnchorSet(general: try files.load("general"), replay: try files.load("replay"))
    }

    /// The four IDX files (`general-`/`replay-` `images-idx3`/`labels-idx1` `-ubyte.gz`) and
    /// README.md with the license and what `provenance` says made them.
    public func write(to folder: String, provenance: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, set) in [("general", general), ("replay", replay)] {
            try IDXFile.writeImages(set.pixels, count: set.count, rows: 28, columns: 28, to: "\(folder)/\(name)-images-idx3-ubyte.gz")
            try IDXFile.writeLabels(set.labels, to: "\(folder)/\(name)-labels-idx1-ubyte.gz")
        }
        let readme = """
        # The anchor set

        \(Self.license).

        \(general.count + replay.count) MNIST training digits (28x28, white ink on black, IDX files gzip'd), shipped with \
        the model so that a fine-tune works out of the box:

        - `general-*`: \(general.count) digits the model's training kept out (it never learned from them). A \
        fine-tune's candidate is judged on them (it must not lose accuracy there against the served or the base \
        model) and calibrated on scans of them.
        - `replay-*`: \(replay.count) digits the model trained on, replayed beside the corrections so that a \
        fine-tune does not forget what the model knew.

        Made by `\(provenance)`.

        """
        try AtomicFile.write(Array(readme.utf8), to: folder + "/README.md", mode: 0o644)
    }
}
