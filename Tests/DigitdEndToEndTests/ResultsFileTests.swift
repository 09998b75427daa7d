import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// The results CSV as operators handle it while digitd runs: deleted or
    /// rotated away, and opened in a spreadsheet.
    @Suite struct ResultsFile {
        /// The day's CSV deleted under the running digitd: the next batch starts
        /// a new file at its path, with its header, and says so in the log;
        /// every later scan has exactly one row there.
        @Test func aDeletedResultsFileIsStartedAnew() throws {
            let root = try DaemonRoot("results-deleted")
            let daemon = try root.startReady()
            let before = try DaemonEndToEndTests.stageMany(root, "before", count: 20)
            for input in before { try root.moveIn(ScanName(input.name)) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: before.count)
            let folder = root.layout.results
            for file in try FileManager.default.contentsOfDirectory(atPath: folder) { #expect(unlink(folder + "/" + file) == 0) }

            let later = try DaemonEndToEndTests.stageMany(root, "later", count: 60)
            for (i, input) in later.enumerated() {
                try root.moveIn(ScanName(input.name))
                if i % 20 == 19 { try DaemonEndToEndTests.waitFinished(root, daemon, count: before.count + i + 1) }
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: folder)
            #expect(!files.isEmpty, "no results file after the deletion")
            for file in files {
                let records = try StrictCSV.parse([UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))))
                #expect(records.first == ResultRow.header, "\(file) does not start with the header")
            }
            let rows = try root.rowsByFile()
            #expect(try root.rows().count == later.count)
            let unrecorded = later.filter { rows[$0.name]?.count != 1 }.map(\.name)
            #expect(unrecorded.isEmpty, "\(unrecorded.count) later scans without exactly one row, e.g. \(unrecorded.prefix(5))")
            #expect(root.log.contains("was deleted or renamed away"), "no notice in the log: \(daemon.tail)")
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// A scan whose name a spreadsheet would run as a formula gets a guarded
        /// `file` field and is relabeled by its real name; with the guard
        /// switched off (SIGHUP), names are written as they are.
        @Test func formulaNamesAreGuardedAndRelabeledByTheirName() throws {
            let root = try DaemonRoot("results-formula")
            let daemon = try root.startReady()
            let client = ControlClient(socket: root.layout.socket)
            let formula = "=HYPERLINK(\"x\").png"
            try root.drop(formula, try Fixtures.png(TestImages.page(seed: 300)))
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)
            #expect(try root.rowsByFile().keys.sorted() == ["'" + formula])
            let relabeled = try client.relabel(RelabelRequest(image: formula, digit: 7))
            #expect(relabeled.record.file == formula && relabeled.record.storedAs == "labels/7/\(formula)")

            root.settings.formulaGuard = false
            try root.writeConfig()
            daemon.signal(SIGHUP)
            try Harness.waitUntil("\"configuration reloaded\" in the log", timeout: 20, describe: { daemon.tail }) {
                root.log.contains("configuration reloaded")
            }
            let plain = "+SUM(1;2).png"
            try root.drop(plain, try Fixtures.png(TestImages.page(seed: 301)))
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 2)
            #expect(try root.rowsByFile().keys.sorted() == ["'" + formula, plain])
            #expect(try client.relabel(RelabelRequest(image: plain, digit: 4)).record.file == plain)
            DaemonEndToEndTests.stop(daemon, root)
        }
    }
}
