import Foundation
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// DESIGN §7/§8 on the real digitd: relabel over the control socket, a
    /// fine-tune on request with its verdict, and a rollback hot-swapped at once.
    @Suite struct Corrections {
        @Test func relabelFineTuneAndRollback() throws {
            let root = try DaemonRoot("corrections")
            let daemon = try root.startReady()
            let client = ControlClient(socket: root.layout.socket)
            let base = try client.status().model
            for i in 0..<12 { try root.drop("p\(i).png", try Fixtures.png(TestImages.page(seed: UInt64(100 + i)))) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 12)

            let first = try client.relabel(RelabelRequest(image: "p0.png", digit: 3))
            #expect(first.record.storedAs == "labels/3/p0.png" && first.record.model == base)
            let second = try client.relabel(RelabelRequest(image: "p0.png", digit: 5))
            #expect(second.replacedDigit == 3)
            #expect(!FileManager.default.fileExists(atPath: root.layout.labels + "/3/p0.png"))
            #expect(FileManager.default.fileExists(atPath: root.layout.labels + "/5/p0.png"))
            #expect(throws: DigitdError.self) { try client.relabel(RelabelRequest(image: "nope.png", digit: 1)) }
            for i in 1..<12 { _ = try client.relabel(RelabelRequest(image: "p\(i).png", digit: i % 10)) }

            let queued = try client.requestFineTune()
            var report = queued
            try Harness.waitUntil("the fine-tune's verdict", timeout: 120, describe: root.describe) {
                report = try client.fineTuneReport()
                return report.run == queued.run && report.isFinished
            }
            #expect(report.state != .failed, "\(report)")
            #expect(report.corrections == 12 && report.before != nil && report.after != nil)
            let listed = try client.models()
            #expect(listed.versions.last?.version == report.version)
            #expect(try client.status().fineTune?.run == queued.run)

            // A promoted version appears in the registry behind the daemon's
            // back; a rollback to it is served at once, and so is the base again.
            let record = ModelVersion(version: "", state: .promoted, parent: base, createdAt: Date(), corrections: 0, heldOut: 0, replay: 0,
                                      general: "", before: GateFigures(heldOut: 0, general: 0), after: GateFigures(heldOut: 1, general: 1),
                                      seconds: 0, reason: nil, fileKept: true)
            let added = try ModelRegistry(folder: root.layout.models).add(Model.initial(seed: 8), record)
            let swapped = try client.rollback(RollbackRequest(version: added.version))
            #expect(swapped.current == added.version && swapped.model.hasPrefix(added.version + "@"))
            #expect(try client.status().model == swapped.model)
            try root.drop("after.png", try Fixtures.png(TestImages.page(seed: 200)))
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 13)
            #expect(try root.rowsByFile()["after.png"]?.first?["model"] == swapped.model)

            let back = try client.rollback(RollbackRequest(version: "base"))
            #expect(back.current == nil && back.model == base)
            #expect(try client.status().model == base)
            DaemonEndToEndTests.stop(daemon, root)
        }
        /// `digitctl finetune-now`'s first line already says what the run learns from and from
        /// which model (it once read `0 corrections (0 new), training from ?`).
        @Test func finetuneNowNamesItsCorrectionsReplayAndBaseFromTheFirstLine() throws {
            let root = try DaemonRoot("finetune-now")
            let daemon = try root.startReady()
            defer { DaemonEndToEndTests.stop(daemon, root) }
            let client = ControlClient(socket: root.layout.socket)
            let base = try client.status().model
            for i in 0..<6 { try root.drop("q\(i).png", try Fixtures.png(TestImages.page(seed: UInt64(400 + i)))) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 6)
            for i in 0..<6 { _ = try client.relabel(RelabelRequest(image: "q\(i).png", digit: i % 3)) }
            let outcome = try Digitctl.run(["finetune-now", "--root", root.layout.root, "--socket", root.layout.socket], timeout: 120)
            #expect([0, 2].contains(outcome.status), "\(outcome)")
            let first = try #require(outcome.stdout.split(separator: "\n").first.map(String.init), "\(outcome)")
            #expect(first.hasPrefix("fine-tune #1: 6 corrections (6 new), replay from "), "\(first)")
            #expect(first.hasSuffix("training from \(base)") && !first.contains("?"), "\(first)")
        }
    }
}
