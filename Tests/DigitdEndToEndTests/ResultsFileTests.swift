import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// The results CSV as operators handle it while digitd runs.
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
    }
}
