import Foundation
import Imaging
import Logging
import Testing
@testable import TestSupport
@testable import DigitdCore

/// What is on disk before what when a batch is recorded (DESIGN §3): on a filesystem that
/// does not order metadata by itself, a power cut must not find a row whose claim is lost
/// (the file back in the inbox, for a second row) or a file in failed/ without its reason.
@Suite struct DurabilityTests {
    /// One folder sync, and what the folders and the CSV held as it began.
    struct Sync: Equatable, CustomStringConvertible {
        let folder: String
        let rows: Int
        let done: [String]
        let failed: [String]

        var description: String { "\(folder)/ (rows \(rows), done \(done), failed \(failed))" }
    }

    @Test func claimsAreSyncedBeforeTheRowsAndTheMovesAfter() throws {
        let root = try TempRoot("durability")
        let layout = root.layout
        let syncs = Box<[Sync]>([])
        let sync = FileSync { folder in
            func names(_ folder: String) -> [String] { ((try? RawFile.names(in: folder)) ?? []).map(\.description).sorted() }
            syncs.value.append(Sync(folder: (folder as NSString).lastPathComponent, rows: (try? StrictCSV.resultRows(in: layout.results).count) ?? -1,
                                    done: names(layout.done), failed: names(layout.failed)))
            try FileOps.syncFolder(folder)
        }
        let logger = Logger(label: "durability-test")
        let pipeline = ScanPipeline(
            settings: .init(maxSize: 2, maxDelay: 0, threads: 2, decoder: ImageDecoder()),
            lifecycle: ScanLifecycle(layout: layout, sync: sync), results: ResultsLog(folder: layout.results, logger: logger),
            pending: PendingScans(capacity: 2), models: ModelSlot(try ModelSlot.load(path: Harness.modelPath, threads: 1)),
            reservoir: ReplayReservoir(capacity: 10), board: StatusBoard(root: layout.root), notifier: SystemdNotifier(), logger: logger)
        try RawFile.write(try Fixtures.png(TestImages.page(seed: 5)), folder: layout.inbox, name: ScanName("good.png"))
        try RawFile.write(Array("not an image".utf8), folder: layout.inbox, name: ScanName("bad.png"))

        let batch = try #require(pipeline.claimAndClassify([ScanName("good.png"), ScanName("bad.png")]))
        #expect(syncs.value.isEmpty, "synced while claiming, one by one: \(syncs.value)")
        #expect(pipeline.record(batch, alive: {}))
        let moved = (done: ["good.png"], failed: ["bad.png", "bad.png.reason"])
        #expect(syncs.value == [
            // The claims, once for the batch, before its rows.
            Sync(folder: "inbox", rows: 0, done: [], failed: []),
            Sync(folder: "processing", rows: 0, done: [], failed: []),
            // The reason, before its file.
            Sync(folder: "failed", rows: 2, done: ["good.png"], failed: ["bad.png.reason"]),
            // The moves, once for the batch, after the rows.
            Sync(folder: "processing", rows: 2, done: moved.done, failed: moved.failed),
            Sync(folder: "done", rows: 2, done: moved.done, failed: moved.failed),
            Sync(folder: "failed", rows: 2, done: moved.done, failed: moved.failed),
        ], "\(syncs.value)")
    }
}
