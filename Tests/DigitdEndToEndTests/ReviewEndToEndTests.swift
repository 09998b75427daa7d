import Foundation
import Imaging
import NeuralNetwork
import ScanKinds
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// The real digitd with the shipped (calibrated) model: digits it is sure of are `ok`, marks
    /// that are not digits go to `review` with the best guess and why, the counts agree in the
    /// CSV, the status and the metrics, and a review row is relabelled like any other.
    @Suite(.enabled(if: MNIST.available, MNIST.absent)) struct Review {
        @Test func unsureScansAndNonDigitsGoToReview() throws {
            var settings = DaemonRoot.Settings()
            settings.modelPath = Repository.shippedModel
            let root = try DaemonRoot("review", settings)
            let daemon = try root.startReady()
            defer { stop(daemon, root) }
            let digits = try MNISTFolder(MNIST.folder).load("t10k", spread: 20)
            for i in 0..<20 {
                var rng = SeededRandom(seed: 4, UInt64(i))
                try root.drop("digit-\(i).png", try Fixtures.png(ScanKind.clean.render(digits.image(i), rng: &rng)))
                let kind = [NonDigit.latinLetters, .scribbles, .inventedCharacters, .twoDigits][i % 4]
                try root.drop("mark-\(i).png", try Fixtures.png(ScanKind.clean.render(kind.render(digits: digits, rng: &rng), rng: &rng)))
            }
            try waitFinished(root, daemon, count: 40)

            let rows = try root.rows()
            #expect(rows.count == 40)
            for row in rows {
                let status = row["status"] ?? "", reason = row["reason"] ?? ""
                #expect(["ok", "review"].contains(status), "\(row)")
                #expect(!(row["digit"] ?? "").isEmpty, "the best guess is kept: \(row)")
                if status == "ok" {
                    #expect(reason.isEmpty, "\(row)")
                } else {
                    #expect(reason == "does not look like a digit" || reason.wholeMatch(of: /low confidence 0\.\d\d/) != nil, "\(row)")
                }
            }
            let digitRows = rows.filter { $0["file"]!.hasPrefix("digit-") }, markRows = rows.filter { $0["file"]!.hasPrefix("mark-") }
            #expect(digitRows.count { $0["status"] == "ok" } >= 18, "\(digitRows)")
            #expect(markRows.count { $0["status"] == "review" } >= 17, "\(markRows)")
            #expect(markRows.contains { $0["reason"] == "does not look like a digit" }, "\(markRows)")

            let review = rows.count { $0["status"] == "review" }
            let status = try daemon.status(socket: root.layout.socket)
            #expect(status.review == review && status.ok == 40 - review)
            #expect(status.trust.contains("go to review (target error 0.50%)"), "\(status.trust)")
            let metrics = String(decoding: try ControlClient(socket: root.layout.socket).request("GET", "/metrics"), as: UTF8.self)
            #expect(Metrics.samples(metrics)["digitd_scans_total{status=\"review\"}"] == Double(review), "\(metrics)")

            let name = try #require(markRows.first { $0["status"] == "review" }?["file"])
            let relabel = try ControlClient(socket: root.layout.socket).relabel(RelabelRequest(image: name, digit: 3))
            #expect(relabel.record.previousStatus == "review")
            #expect(FileManager.default.fileExists(atPath: root.layout.labels + "/3/" + name))
        }
    }
}
