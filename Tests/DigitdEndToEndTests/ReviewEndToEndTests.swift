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

        /// What the page does, from a script: the queue as JSON, decisions from a CSV of claims.
        @Test func scriptsReadTheQueueAndDecideFromACSV() throws {
            let (root, daemon) = try ReviewStation.classifiedRoot("review-script", digits: 12, marks: 4)
            defer { stop(daemon, root) }
            let next = try Digitctl.run(["review", "--config", root.configPath, "--next", "5", "--json"])
            #expect(next.status == 0, "\(next)")
            let items = try JSONCoding.decoder().decode([ReviewItem].self, from: Data(next.stdout.utf8))
            #expect(items.count == 5)
            #expect(items.map(\.claim) == (try ControlClient(socket: root.layout.socket).reviewQueue(limit: 5)).map(\.claim))
            #expect(items.first?.status == "review", "the marks come first: \(items.map(\.file))")
            let csv = root.path + "/decisions.csv"
            try Data("claim,digit\n\(items[0].claim),4\n\(items[1].claim),\(items[1].digit)\n0000000000000bad,3\n\(items[2].claim),x\n".utf8).write(to: URL(fileURLWithPath: csv))
            let decided = try Digitctl.run(["review", "--config", root.configPath, "--decisions", csv])
            #expect(decided.status != 0, "one row names no scan: \(decided)")
            #expect(decided.stderr.contains("0000000000000bad: unknown scan"), "\(decided)")
            #expect(decided.stderr.contains("1 of 4 decisions failed"), "\(decided)")
            #expect(FileManager.default.fileExists(atPath: root.layout.labels + "/4/" + items[0].file))
            #expect(FileManager.default.fileExists(atPath: root.layout.labels + "/\(items[1].digit)/" + items[1].file))
            #expect(FileManager.default.fileExists(atPath: root.layout.labels + "/not-a-digit/" + items[2].file), "x: not a digit")
            #expect(decided.stdout.contains("\(items[2].file): not a digit"), "\(decided)")
            let after = try ControlClient(socket: root.layout.socket).reviewQueue(limit: 100).map(\.claim)
            #expect(after.count == 13 && !after.contains(items[0].claim) && !after.contains(items[1].claim) && !after.contains(items[2].claim))
        }
    }
}
