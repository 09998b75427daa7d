import Crypto
import Foundation
import NeuralNetwork
import TestSupport
import Testing

@Suite struct ModelFileTests {
    static let model: Model = {
        var model = Model.initial(seed: 3)
        model.training = TrainingRecord(
            command: "digitctl train --epochs 1", dataset: "test", examples: 10, epochs: 1, batchSize: 5, seed: 3,
            optimizer: AdamSettings(), schedule: "constant", augmentation: AugmentationSettings(elasticAlpha: 30),
            finalTrainLoss: 0.5, testAccuracy: 0.25, seconds: 1.5, finishedAt: "2026-01-01T00:00:00Z")
        return model
    }()

    static func expectRefused(_ bytes: [UInt8], _ expected: (ModelFileError) -> Bool) {
        do {
            _ = try ModelFile.decode(bytes, path: "m")
            Issue.record("a damaged model file was accepted")
        } catch {
            #expect(expected(error), "wrong error: \(error)")
        }
    }

    /// Re-seals edited bytes with a valid checksum, to reach the checks behind it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let body = Array(bytes.dropLast(32))
        return body + SHA256.hash(data: body)
    }

    @Test func roundTrip() throws {
        let directory = TempFolder.unique("modelfile")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/seed.digitd-model"
        try Data(ModelFile.encode(Self.model)).write(to: URL(fileURLWithPath: path))
        let loaded = try ModelFile.load(path)
        #expect(loaded == Self.model)
        // Same weights, same answers.
        let pixels = (0..<(3 * 784)).map { Float($0 % 29) / 28 }
        #expect(Classifier(model: loaded).logits(pixels: pixels) == Classifier(model: Self.model).logits(pixels: pixels))
    }

    @Test func headerIsReadableJSON() throws {
        let bytes = try ModelFile.encode(Self.model)
        #expect(Array(bytes[0..<8]) == Array("DGTMODEL".utf8))
        let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let header = try JSONSerialization.jsonObject(with: Data(bytes[16..<(16 + length)])) as! [String: Any]
        #expect(header["architecture"] as? [String] == SeedCNN.architecture)
        #expect((header["input"] as? [String: Any])?["mean"] as? Double == 0.5)
        #expect((header["training"] as? [String: Any])?["seed"] as? Int == 3)
        #expect(bytes.count == 16 + length + 4 * SeedCNN.parameterCount + 32)
    }

    @Test func damagedFilesAreRefused() throws {
        let good = try ModelFile.encode(Self.model)
        Self.expectRefused([]) { $0 == .notAModelFile(path: "m") }
        Self.expectRefused(Array("PNG image".utf8) + good.dropFirst(9)) { $0 == .notAModelFile(path: "m") }
        var future = good
        future[8] = 3
        Self.expectRefused(future) { $0 == .unsupportedVersion(path: "m", found: 3, supported: 2) }
        for keep in [20, good.count / 2, good.count - 1] {
            Self.expectRefused(Array(good.prefix(keep))) { if case .truncated = $0 { true } else { false } }
        }
        Self.expectRefused(good + [0]) { if case .corrupt = $0 { true } else { false } }
        for position in [20, good.count / 2, good.count - 40, good.count - 1] {
            var flipped = good
            flipped[position] ^= 0x10
            Self.expectRefused(flipped) { $0 == .checksumMismatch(path: "m") }
        }
        var huge = good
        huge[15] = 0x7F
        Self.expectRefused(huge) { if case .corrupt = $0 { true } else { false } }
    }

    @Test func wrongContentBehindAValidChecksumIsRefused() throws {
        let good = try ModelFile.encode(Self.model)
        let length = Int(good[12]) | Int(good[13]) << 8
        let header = String(decoding: good[16..<(16 + length)], as: UTF8.self)
        // Same length, so the rest of the file stays in place.
        let otherArchitecture = Array(header.replacingOccurrences(of: "conv3x3 1->32", with: "conv3x3 1->16").utf8)
        Self.expectRefused(Self.resealed(Array(good[0..<16]) + otherArchitecture + good[(16 + length)...])) {
            if case .wrongArchitecture = $0 { true } else { false }
        }
        let notJSON = Array(header.replacingOccurrences(of: "\"architecture\"", with: "\"architecture\"}").dropLast().utf8)
        Self.expectRefused(Self.resealed(Array(good[0..<16]) + notJSON + good[(16 + length)...])) {
            if case .corrupt = $0 { true } else { false }
        }
        var nan = good
        let firstWeight = 16 + length
        nan.replaceSubrange(firstWeight..<(firstWeight + 4), with: [0x00, 0x00, 0xC0, 0x7F])
        Self.expectRefused(Self.resealed(nan)) { if case .corrupt = $0 { true } else { false } }
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: ModelFileError.self) { try ModelFile.load("/nonexistent/seed.digitd-model") }
        do {
            _ = try ModelFile.load("/nonexistent/seed.digitd-model")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/seed.digitd-model: cannot read model file"))
        }
    }
}
