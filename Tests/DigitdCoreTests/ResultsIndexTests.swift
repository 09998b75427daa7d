import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

/// The results index: what the CSVs hold, found without reading them again; the queue's order.
@Suite struct ResultsIndexTests {
    static func row(_ n: Int, file: String? = nil, sha: String? = nil, status: ResultRow.Status = .ok, confidence: Float = 0.9,
                    second: Float = 0.05, stored: String? = nil, at: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> ResultRow {
        ResultRow(file: file ?? "scan-\(n).png", sha256: sha ?? String(format: "%064x", n), status: status,
                  digit: status == .error || status == .blank ? nil : n % 10, confidence: status == .error || status == .blank ? nil : confidence,
                  model: "seedcnn@0000", processedAt: at.addingTimeInterval(Double(n)), secondDigit: (n + 1) % 10,
                  secondConfidence: second, reason: "", storedAs: stored ?? "done/scan-\(n).png", claim: String(format: "%016x", n))
    }

    /// A root whose done/ holds a file for each row the queue may show.
    static func root(_ label: String) throws -> TempRoot { try TempRoot("index-" + label) }

    @Test func catchUpReadsWhatWasAppendedOnce() throws {
        let root = try Self.root("append")
        let log = ResultsLog(folder: root.layout.results)
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try log.append((0..<5).map { Self.row($0) })
        try index.catchUp()
        try index.catchUp()
        #expect(try index.counts() == [.ok: 5])
        try log.append([Self.row(5, file: "a, \"quoted\"\nname.png"), Self.row(6, status: .error)])
        try index.catchUp()
        #expect(try index.counts() == [.ok: 6, .error: 1])
        #expect(try index.rows(file: "a, \"quoted\"\nname.png").map(\.claim) == [Self.row(5).claim])
        #expect(try index.rows(sha256: Self.row(3).sha256).first == Self.row(3))
        // Another process (a restarted digitd) finds the same rows without reading them again.
        let reopened = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        #expect(try reopened.counts() == [.ok: 6, .error: 1])
    }

    @Test func aTornRecordWaitsUntilItIsWhole() throws {
        let root = try Self.root("torn")
        let path = root.layout.results + "/results-2027-01-15.csv"
        let whole = try ResultsLog.csv([ResultRow.header, Self.row(1).fields])
        let next = try ResultsLog.csv([Self.row(2, file: "line\nbreak.png").fields])
        let cut = next.utf8.count / 2
        try Data((whole + String(decoding: Array(next.utf8)[..<cut], as: UTF8.self)).utf8).write(to: URL(fileURLWithPath: path))
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try index.catchUp()
        #expect(try index.counts() == [.ok: 1])
        try Data((whole + next).utf8).write(to: URL(fileURLWithPath: path))
        try index.catchUp()
        #expect(try index.rows(file: "line\nbreak.png").count == 1)
        #expect(try index.counts() == [.ok: 2])
    }

    @Test func aReplacedCutOrDeletedFileIsReadAgain() throws {
        let root = try Self.root("replaced")
        let path = root.layout.results + "/results-2027-01-15.csv"
        func write(_ rows: [ResultRow]) throws {
            let temporary = path + ".new"
            try Data(try ResultsLog.csv([ResultRow.header] + rows.map(\.fields)).utf8).write(to: URL(fileURLWithPath: temporary))
            #expect(rename(temporary, path) == 0)
        }
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try write((0..<4).map { Self.row($0) })
        try index.catchUp()
        try write([Self.row(10), Self.row(11)])  // rotated: a new file (inode) at the same name
        try index.catchUp()
        #expect(try index.rows(file: "scan-0.png").isEmpty)
        #expect(try index.counts() == [.ok: 2])
        #expect(truncate(path, 0) == 0)
        try index.catchUp()
        #expect(try index.counts() == [:])
        try write([Self.row(20)])
        try index.catchUp()
        unlink(path)
        try index.catchUp()
        #expect(try index.counts() == [:])
    }

    @Test func aDamagedIndexIsSetAsideAndMadeAgain() throws {
        let root = try Self.root("damaged")
        try ResultsLog(folder: root.layout.results).append((0..<3).map { Self.row($0) })
        try Data(repeating: 0x5a, count: 8192).write(to: URL(fileURLWithPath: root.layout.index))
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try index.catchUp()
        #expect(try index.counts() == [.ok: 3])
        let models = try FileManager.default.contentsOfDirectory(atPath: root.layout.models)
        #expect(models.contains { $0.hasPrefix("results-index.sqlite.damaged-") }, "\(models)")
    }

    @Test func theQueueShowsReviewFirstThenTheSmallestMarginsOncePerImage() throws {
        let root = try Self.root("queue")
        let log = ResultsLog(folder: root.layout.results)
        try log.append([
            Self.row(1, status: .review, confidence: 0.6, second: 0.3),   // margin 0.3
            Self.row(2, status: .review, confidence: 0.45, second: 0.35), // margin 0.1
            Self.row(3, confidence: 0.7, second: 0.65),                   // margin 0.05
            Self.row(4, confidence: 0.99, second: 0.01),
            Self.row(5, status: .blank), Self.row(6, status: .error, stored: "failed/scan-6.png"),
            Self.row(7, status: .review, confidence: 0.5, second: 0.45, stored: "failed/scan-7.png"),  // not in done/
            Self.row(8, file: "again.png", sha: Self.row(3).sha256, confidence: 0.8, second: 0.1),  // image 3, newer
            Self.row(9, status: .review, confidence: 0.4, second: 0.39),  // decided below
        ])
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try index.catchUp()
        let queue = try index.queue(limit: 10, decided: [Self.row(9).sha256])
        #expect(queue.map(\.claim) == [2, 1, 8, 4].map { Self.row($0).claim }, "\(queue.map(\.file))")
        #expect(try index.queue(limit: 2, decided: []).map(\.claim) == [9, 2].map { Self.row($0).claim })
        #expect(try index.waiting(decided: [Self.row(9).sha256]) == 2)
    }

    /// The queue's order (as row numbers) of these rows, indexed in a fresh root.
    static func queueOrder(_ label: String, _ rows: [ResultRow]) throws -> [Int] {
        let root = try Self.root(label)
        try ResultsLog(folder: root.layout.results).append(rows)
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try index.catchUp()
        return try index.queue(limit: 10, decided: []).map { Int($0.claim, radix: 16)! }
    }

    /// One kind of mark that is always unsure (say, wide fields read as 8s) must not fill the
    /// queue: each guessed digit takes its turn.
    @Test func theQueueGivesEachGuessedDigitItsTurn() throws {
        #expect(try Self.queueOrder("turns", [
            Self.row(8, status: .review, confidence: 0.3, second: 0.29),
            Self.row(18, status: .review, confidence: 0.3, second: 0.28),
            Self.row(28, status: .review, confidence: 0.3, second: 0.27),
            Self.row(3, confidence: 0.9, second: 0.05),
            Self.row(13, confidence: 0.95, second: 0.01),
        ]) == [8, 3, 18, 13, 28])
    }

    /// Within a digit's turn, the most unsure `review` row, then the most unsure `ok` row.
    @Test func reviewAndOkRowsTakeTurnsWithinADigit() throws {
        #expect(try Self.queueOrder("review-ok", [
            Self.row(5, status: .review, confidence: 0.4, second: 0.3),
            Self.row(15, status: .review, confidence: 0.4, second: 0.35),
            Self.row(25, status: .review, confidence: 0.5, second: 0.1),
            Self.row(35, confidence: 0.97, second: 0.02),
            Self.row(45, confidence: 0.9, second: 0.08),
        ]) == [15, 45, 5, 35, 25])
    }

    @Test func throughputCountsEveryBucketUpToTheNewestRow() throws {
        let root = try Self.root("throughput")
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try ResultsLog(folder: root.layout.results).append([
            Self.row(0, at: start), Self.row(1, at: start), Self.row(200, at: start),
        ])
        let index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
        try index.catchUp()
        let buckets = try index.throughput(bucketSeconds: 60)
        #expect(buckets.map(\.scans) == [2, 0, 0, 1])
        #expect(buckets.first?.start == start)
    }
}
