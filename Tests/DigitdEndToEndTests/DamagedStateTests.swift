import Foundation
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// Damaged or absurd state never stops the service: digitd starts, says
    /// so (log, `status`), sets the damaged file aside and carries on.
    @Suite struct DamagedState {
        @Test func damagedStateFilesAreSetAsideAndReported() throws {
            let root = try DaemonRoot("damaged")
            let models = root.layout.models
            // replay.bin claiming 2^64 - 1 images; finetune.json, registry.json and
            // the label quarantine cut short; a model file whose record was lost.
            var replay = Array("DGTREPL1".utf8) + [UInt8](repeating: 0xFF, count: 8) + [UInt8](repeating: 0, count: 8)
            replay += [UInt8](repeating: 0, count: 785)
            try RawFile.write(replay, folder: models, name: ScanName("replay.bin"))
            for name in ["finetune.json", "registry.json", "quarantined-labels.json"] {
                try RawFile.write(Array("{\"runs\": 3, \"tr".utf8), folder: models, name: ScanName(name))
            }
            let orphan = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Harness.modelPath)))
            try RawFile.write(orphan, folder: models, name: ScanName("v1.\(ModelFile.fileExtension)"))

            let daemon = try root.startReady()
            let status = try ControlClient(socket: root.layout.socket).status()
            for name in ["replay.bin", "finetune.json", "registry.json", "quarantined-labels.json"] {
                #expect(status.problems.contains { $0.contains(name) }, "\(name) not reported: \(status.problems)")
                #expect(!FileManager.default.fileExists(atPath: "\(models)/\(name)"), "\(name) still in place")
                let aside = try root.names(models).map(\.description).filter { $0.hasPrefix(name + ".damaged-") }
                #expect(aside.count == 1, "\(name): set aside as \(aside)")
                #expect(root.log.contains(name), "\(name) not in the log")
            }
            #expect(status.replayExamples == 0)
            #expect(status.model.hasPrefix("model-"), "serves the base model: \(status.model)")
            try root.drop("scan.png", try Fixtures.png(TestImages.page(seed: 800)))
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)
            #expect(try root.rowsByFile()["scan.png"]?.first?["status"] != "error")

            // The next version number skips the file whose record was lost: it is never overwritten.
            let record = ModelVersion(version: "", state: .rejected, parent: status.model, createdAt: Date(), corrections: 0, heldOut: 0,
                                      replay: 0, general: "", before: GateFigures(heldOut: 0, general: 0),
                                      after: GateFigures(heldOut: 0, general: 0), seconds: 0, reason: "test", fileKept: true)
            let added = try ModelRegistry(folder: models).add(Model.initial(seed: 9), record)
            #expect(added.version == "v2")
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(models)/v1.\(ModelFile.fileExtension)"))) == orphan)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// The registry's current version is a damaged file: digitd serves the
        /// base model and says why; `rollback` to a damaged version is refused
        /// before the registry changes.
        @Test func aDamagedCurrentModelFallsBackToTheBase() throws {
            let root = try DaemonRoot("damaged-model")
            let registry = ModelRegistry(folder: root.layout.models)
            let record = ModelVersion(version: "", state: .promoted, parent: "base", createdAt: Date(), corrections: 0, heldOut: 0,
                                      replay: 0, general: "", before: GateFigures(heldOut: 0, general: 0),
                                      after: GateFigures(heldOut: 1, general: 1), seconds: 0, reason: nil, fileKept: true)
            let good = try registry.add(Model.initial(seed: 10), record)
            let bad = try registry.add(Model.initial(seed: 11), record)
            let badPath = registry.path(of: bad.version)
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: badPath)))
            bytes[bytes.count / 2] ^= 0x55
            try Data(bytes).write(to: URL(fileURLWithPath: badPath))
            #expect(try registry.read().current == bad.version)

            let daemon = try root.startReady()
            let client = ControlClient(socket: root.layout.socket)
            let status = try client.status()
            #expect(status.model.hasPrefix("model-"), "serves the base model: \(status.model)")
            #expect(status.problems.contains { $0.contains("current model cannot be served") }, "\(status.problems)")

            let swapped = try client.rollback(RollbackRequest(version: good.version))
            #expect(swapped.current == good.version)
            #expect(throws: DigitdError.self) { try client.rollback(RollbackRequest(version: bad.version)) }
            #expect(try registry.read().current == good.version, "a refused rollback changed the registry")
            #expect(try client.status().model == swapped.model)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// SIGHUP with a config whose model cannot load changes nothing at all:
        /// the new (smaller) file-size limit that came with it is not applied.
        @Test func aReloadThatFailsChangesNothing() throws {
            let root = try DaemonRoot("reload-bad")
            let daemon = try root.startReady()
            let broken = root.path + "/broken.digitd-model"
            try Data("not a model".utf8).write(to: URL(fileURLWithPath: broken))
            let text = try String(contentsOfFile: root.configPath, encoding: .utf8)
            try (text.replacingOccurrences(of: "path = \"\(Harness.modelPath)\"", with: "path = \"\(broken)\"") + "\n[limits]\nmax_file_mb = 1\n")
                .write(toFile: root.configPath, atomically: true, encoding: .utf8)
            daemon.signal(SIGHUP)
            try Harness.waitUntil("the reload to fail", timeout: 20, describe: root.describe) { root.log.contains("reload failed") }

            // Over the 1 MB the failed reload carried: accepted under the running limit.
            var rng = SeededRandom(seed: 5)
            var noise = TestImages.page(width: 1200, height: 1200, seed: 801)
            for i in noise.pixels.indices where noise.pixels[i] > 128 { noise.pixels[i] = UInt8.random(in: 129...255, using: &rng) }
            let big = try Fixtures.png(noise)
            #expect(big.count > 1 << 20, "\(big.count) bytes")
            try root.drop("big.png", big)
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)
            let row = try #require(try root.rowsByFile()["big.png"]?.first)
            #expect(row["status"] != "error", "\(row)")
            #expect(try ControlClient(socket: root.layout.socket).status().model.hasPrefix("model-"))
            DaemonEndToEndTests.stop(daemon, root)
        }
    }
}
