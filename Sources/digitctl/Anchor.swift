import ArgumentParser
import DigitdCore
import Foundation

struct Anchor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the anchor set that ships beside a model: MNIST training digits for fine-tunes' gate and replay.",
        discussion: """
        The general set is the --holdout digits `digitctl train --holdout N --seed S` kept out (the same seeded draw), \
        so the model never trained on them; the replay set is --replay of the digits it trained on. At most \
        \(AnchorSet.maximumDigits) digits in all, as gzip'd IDX files with MNIST's license in README.md. \
        digitd finds models/anchor/ beside the shipped model (finetune.anchor names another).
        """
    )

    @Option(help: "Folder with MNIST's train- images and labels.")
    var mnist: String

    @Option(help: "The --holdout the model was trained with: the general set.")
    var holdout = 5_000

    @Option(help: "The --seed the model was trained with.")
    var seed: UInt64 = 1

    @Option(help: "Trained digits to replay.")
    var replay = 5_000

    @Option(help: "Folder to write.")
    var out = "models/\(AnchorSet.folderName)"

    func run() throws {
        let anchor = try AnchorSet.make(training: try MNISTFolder(mnist).load("train"), holdout: holdout, seed: seed, replay: replay)
        try anchor.write(to: out, provenance: "digitctl anchor --holdout \(holdout) --seed \(seed) --replay \(replay)")
        print("wrote \(out): \(anchor.general.count) general and \(anchor.replay.count) replay digits")
    }
}
