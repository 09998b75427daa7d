import Foundation
import NeuralNetwork
import ScanKinds
import Testing
@testable import TestSupport
@testable import DigitdCore

/// The anchor set shipped beside the model (models/anchor): small, licensed, and made of the
/// digits the shipped model's training kept out (general) and of digits it trained on (replay).
struct AnchorSetTests {
    @Test func theShippedSetIsSmallAndCarriesMNISTsLicense() throws {
        let folder = try #require(AnchorSet.shipped(), "models/anchor beside the shipped model")
        let anchor = try AnchorSet.load(folder)
        #expect(anchor.general.count > 0 && anchor.replay.count > 0)
        #expect(anchor.general.count + anchor.replay.count <= AnchorSet.maximumDigits)
        #expect(anchor.general.pixels.count == anchor.general.count * SeedCNN.pixels)
        #expect(Set(anchor.general.labels) == Set(0...9) && Set(anchor.replay.labels) == Set(0...9))
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        #expect(readme.contains(AnchorSet.license))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        let bytes = try files.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: "\(folder)/\($1)")[.size] as? Int) ?? 0) }
        #expect(bytes < 2_500_000, "stored compactly: \(bytes) bytes")
    }

    /// Made again from MNIST by the recorded command's parameters, it is the shipped set: its
    /// general digits are the ones `digitctl train --holdout 5000 --seed 1` kept out of the
    /// shipped model's training, none of them replayed.
    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func theShippedSetIsTheTrainingHoldOut() throws {
        let shipped = try AnchorSet.load(try #require(AnchorSet.shipped()))
        let training = try MNIST.load("train")
        let made = try AnchorSet.make(training: training, holdout: 5000, seed: 1, replay: 5000)
        #expect(made.general.pixels == shipped.general.pixels && made.general.labels == shipped.general.labels)
        #expect(made.replay.pixels == shipped.replay.pixels && made.replay.labels == shipped.replay.labels)
        #expect(made.general.pixels == CalibrationScans.split(training, holdout: 5000, seed: 1).heldOut.pixels)
        let general = Set((0..<shipped.general.count).map { Array(shipped.general.pixels[($0 * SeedCNN.pixels)..<(($0 + 1) * SeedCNN.pixels)]) })
        #expect(!(0..<shipped.replay.count).contains { general.contains(Array(shipped.replay.pixels[($0 * SeedCNN.pixels)..<(($0 + 1) * SeedCNN.pixels)])) })
    }

    @Test func refusesMoreThanMayShip() {
        let few = LabeledImages(pixels: [UInt8](repeating: 0, count: 20 * SeedCNN.pixels), labels: [UInt8](repeating: 1, count: 20))
        #expect(throws: DigitdError.self) { try AnchorSet.make(training: few, holdout: 6000, seed: 1, replay: 5000) }
    }

    @Test func writesWhatItLoads() throws {
        let folder = TempFolder.unique("anchor")
        let set = AnchorSet(general: LabeledImages(pixels: (0..<(2 * SeedCNN.pixels)).map { UInt8($0 % 251) }, labels: [3, 4]),
                            replay: LabeledImages(pixels: [UInt8](repeating: 9, count: SeedCNN.pixels), labels: [7]))
        try set.write(to: folder, provenance: "a test")
        let read = try AnchorSet.load(folder)
        #expect(read.general.pixels == set.general.pixels && read.general.labels == [3, 4])
        #expect(read.replay.pixels == set.replay.pixels && read.replay.labels == [7])
        #expect(try String(contentsOfFile: folder + "/README.md", encoding: .utf8).contains("Made by `a test`"))
    }
}
