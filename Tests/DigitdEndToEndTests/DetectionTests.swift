import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    @Suite struct Detection {
        /// A file written slowly in place (one open, chunks over ~3 s, then
        /// close) is taken only once complete: its row is `ok`.
        @Test func slowWriterIsNotTakenEarly() throws {
            let root = try DaemonRoot("slow", .init(quietPeriodMs: 1500, rescanIntervalS: 0.2))
            let daemon = try root.startReady()
            let bytes = try Fixtures.png(TestImages.page(width: 300, height: 300, seed: 21))
            let fd = open(root.layout.inbox + "/slow.png", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            let chunks = 20
            let size = (bytes.count + chunks - 1) / chunks
            for start in stride(from: 0, to: bytes.count, by: size) {
                let piece = Array(bytes[start..<min(start + size, bytes.count)])
                #expect(piece.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == piece.count)
                Harness.sleep(milliseconds: 150)
                #expect(FileManager.default.fileExists(atPath: root.layout.inbox + "/slow.png"),
                        "taken while still being written (\(start + piece.count) of \(bytes.count) bytes)")
            }
            close(fd)
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)
            let rows = try #require(try root.rowsByFile()["slow.png"])
            #expect(rows.count == 1)
            #expect(rows.first?["status"] == "ok", "\(rows)")
            #expect(try RawFile.read(folder: root.layout.done, name: ScanName("slow.png")) == bytes)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// A file renamed into the inbox just before digitd starts (its mtime too fresh for
        /// the start-up scan) is taken as soon as it has been quiet for the quiet period,
        /// not at the next periodic rescan (a minute away here).
        @Test func aFileArrivingAsDigitdStartsIsTakenOnceQuiet() throws {
            let root = try DaemonRoot("startrace", .init(quietPeriodMs: 3000, rescanIntervalS: 60))
            let bytes = try Fixtures.png(TestImages.page(width: 64, height: 64, seed: 31))
            try root.drop("early.png", bytes)
            let daemon = try root.startReady()
            #expect(try root.names(root.layout.inbox).map(\.description) == ["early.png"], "taken before it was quiet")
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1, timeout: 20)
            #expect(try root.rowsByFile()["early.png"]?.count == 1)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// A name replaced again and again while digitd takes it (a writer
        /// renaming a new version over the old one): every version digitd got
        /// hold of ends in done/ with its own row, the last version always does,
        /// and nothing is left in processing/.
        @Test func namesReplacedWhileBeingTaken() throws {
            let root = try DaemonRoot("replaced", .init(batchMaxSize: 4, batchMaxDelayMs: 2))
            let daemon = try root.startReady()
            for k in 0..<40 {
                // A width of its own: every version's bytes differ.
                let bytes = try Fixtures.png(TestImages.page(width: 120 + k, height: 120, seed: 60 + UInt64(k)))
                try root.drop("form.png", bytes)
                if k % 3 == 0 { Harness.sleep(milliseconds: 5) }
            }
            let final = try Fixtures.png(TestImages.page(width: 200, height: 120, seed: 99))
            let last = DaemonEndToEndTests.sha256(final)
            try root.drop("form.png", final)
            try Harness.waitUntil("the inbox emptied", timeout: 60, describe: root.describe) {
                try root.names(root.layout.inbox).isEmpty && root.names(root.layout.processing).isEmpty
            }
            let done = try root.names(root.layout.done)
            try Harness.waitUntil("a row for each file in done/", timeout: 30, describe: root.describe) { try root.rows().count == done.count }
            let rows = try root.rows()
            #expect(rows.allSatisfy { $0["file"] == "form.png" && $0["status"] == "ok" })
            #expect(Set(rows.compactMap { $0["sha256"] }).count == rows.count, "one row per version")
            #expect(rows.contains { $0["sha256"] == last }, "the last version is classified")
            for name in done {
                let sha = DaemonEndToEndTests.sha256(try RawFile.read(folder: root.layout.done, name: name))
                #expect(rows.filter { $0["sha256"] == sha && $0["stored_as"] == "done/\(name)" }.count == 1, "\(name)")
            }
            #expect(try root.names(root.layout.failed).isEmpty)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// Files that inotify never announces: present before the start
        /// (start-up scan), hard-linked in while running (IN_CREATE only: the
        /// periodic rescan), and one with an mtime in the future.
        @Test func rescanFindsWhatInotifyMissed() throws {
            let root = try DaemonRoot("rescan", .init(quietPeriodMs: 300, rescanIntervalS: 0.3))
            var expected: [String: [UInt8]] = [:]
            for k in 0..<5 {
                let bytes = try Fixtures.png(TestImages.page(seed: 30 + UInt64(k)))
                expected["before-\(k).png"] = bytes
                try RawFile.write(bytes, folder: root.layout.inbox, name: ScanName("before-\(k).png"))
            }
            try RawFile.write([1, 2, 3], folder: root.layout.inbox, name: ScanName(".before-hidden.png"))
            let daemon = try root.startReady()
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 5)

            for k in 0..<3 {
                let bytes = try Fixtures.png(TestImages.page(seed: 40 + UInt64(k)))
                expected["linked-\(k).png"] = bytes
                try root.stage(ScanName("linked-\(k).png"), bytes)
                #expect(link(root.staging + "/linked-\(k).png", root.layout.inbox + "/linked-\(k).png") == 0)
            }
            let future = try Fixtures.png(TestImages.page(seed: 50))
            expected["future.png"] = future
            try root.stage(ScanName("future.png"), future)
            var times = [timespec(tv_sec: time(nil) + 3600, tv_nsec: 0), timespec(tv_sec: time(nil) + 3600, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, root.staging + "/future.png", &times, 0) == 0)
            #expect(link(root.staging + "/future.png", root.layout.inbox + "/future.png") == 0)

            try DaemonEndToEndTests.waitFinished(root, daemon, count: expected.count)
            let rows = try root.rowsByFile()
            #expect(try root.rows().count == expected.count)
            for (name, bytes) in expected {
                #expect(rows[name]?.count == 1, "\(name)")
                #expect(rows[name]?.first?["status"] == "ok", "\(name)")
                #expect(try RawFile.read(folder: root.layout.done, name: ScanName(name)) == bytes)
            }
            #expect(try root.names(root.layout.inbox).map(\.description) == [".before-hidden.png"])
            #expect(try daemon.status(socket: root.layout.socket).processed == expected.count)
            DaemonEndToEndTests.stop(daemon, root)
        }
    }
}
