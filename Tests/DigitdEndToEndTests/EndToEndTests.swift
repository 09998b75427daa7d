import Crypto
import Foundation
import Testing
import TestSupport
@testable import DigitdCore

/// The real `digitd`, one child process per test on a temp root. Serialized:
/// they share two cores, and the slow-writer test needs its timing.
@Suite(.serialized) struct DaemonEndToEndTests {}

extension DaemonEndToEndTests {
    static func sha256(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).hexString }

    /// Waits until `count` inputs are finished (done/ + failed/), nothing is in
    /// processing/ and the daemon still runs.
    static func waitFinished(_ root: DaemonRoot, _ daemon: DaemonProcess?, count: Int, timeout: TimeInterval = 60) throws {
        try Harness.waitUntil("\(count) files finished", timeout: timeout, describe: root.describe) {
            if let daemon, !daemon.isRunning {
                throw Harness.Failure(description: "digitd exited (status \(daemon.exitStatus ?? -1)). \(root.describe())")
            }
            return try root.finishedCount() >= count && root.names(root.layout.processing).isEmpty
        }
    }

    /// SIGTERM: exits 0 within a few seconds.
    static func stop(_ daemon: DaemonProcess, _ root: DaemonRoot) {
        let (exited, code) = daemon.terminate(timeout: 20)
        #expect(exited, "digitd still running 20 s after SIGTERM. \(root.describe())")
        #expect(code == 0, "digitd exit status after SIGTERM: \(daemon.exitStatus ?? -1)")
    }

    @Suite struct Corpus {
        /// Good scans and the bad corpus mixed, plus entries that must be
        /// ignored: each input is finished exactly once with one row, the
        /// ignored ones stay untouched, the daemon keeps answering.
        @Test func goodBadAndIgnoredInputs() throws {
            let root = try DaemonRoot("corpus")
            let daemon = try root.startReady()

            let png = try Fixtures.png(TestImages.page(seed: 1))
            let jpeg = try Fixtures.jpeg(TestImages.page(width: 48, height: 40, seed: 2), quality: 90)
            var good: [(String, [UInt8])] = [
                ("digit-gray.png", png),
                ("digit-rgb.png", try Fixtures.png(TestImages.page(seed: 3), rgb: true)),
                ("digit-interlaced.png", try Fixtures.png(TestImages.page(seed: 4), interlaced: true)),
                ("digit-baseline.jpg", jpeg),
                ("digit-progressive.jpeg", try Fixtures.jpeg(TestImages.page(seed: 5), quality: 90, progressive: true)),
                ("no extension", try Fixtures.png(TestImages.page(seed: 6))),
                ("a jpeg named.png", try Fixtures.jpeg(TestImages.page(seed: 7), quality: 90)),
                ("odd, \"quoted\"\nname.png", try Fixtures.png(TestImages.page(seed: 8))),
            ]
            let blank = ("blank-page.png", try Fixtures.png(TestImages.blankPage()))
            good.append(blank)
            var random = [UInt8](repeating: 0, count: 4096)
            var rng = SeededRNG(seed: 99)
            for i in random.indices { random[i] = UInt8.random(in: 0...255, using: &rng) }
            random[0] = 0x00   // not a PNG or JPEG signature by chance
            let bad: [(String, [UInt8])] = [
                ("not-an-image.pdf", Array("%PDF-1.4\n1 0 obj << >> endobj\n".utf8)),
                ("truncated.png", Array(png.prefix(png.count / 2))),
                ("truncated.jpg", Array(jpeg.prefix(jpeg.count / 2))),
                ("zero-bytes.png", []),
                ("random-bytes.png", random),
                ("text.png", Array("Hello, this is not an image.\nSecond line.\n".utf8)),
                ("huge-declared-size.png", Fixtures.patchingPNGSize(png, width: 100_000, height: 100_000)),
                ("bad-crc.png", Fixtures.damagingPNGCRC(png, of: "IDAT")),
                ("no-eoi.jpg", Fixtures.jpegWithoutEOI(jpeg)),
            ]

            // Entries that must be left alone, arriving like the others.
            let ignoredFiles = [".hidden.png", "partial.png.tmp", "download.png.part", "backup.png~", "UPPER.PNG.TMP"]
            for name in ignoredFiles { try root.drop(name, png) }
            let directory = root.staging + "/folder.png"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(png).write(to: URL(fileURLWithPath: directory + "/inside.png"))
            try root.moveIn(ScanName("folder.png"))
            try Data(png).write(to: URL(fileURLWithPath: root.path + "/target.png"))
            #expect(symlink(root.path + "/target.png", root.staging + "/link.png") == 0)
            try root.moveIn(ScanName("link.png"))
            #expect(mkfifo(root.layout.inbox + "/fifo.png", 0o644) == 0)
            let ignored = Set(ignoredFiles + ["folder.png", "link.png", "fifo.png"])

            // Good and bad interleaved.
            var inputs: [(String, [UInt8])] = []
            for i in 0..<max(good.count, bad.count) {
                if i < good.count { inputs.append(good[i]) }
                if i < bad.count { inputs.append(bad[i]) }
            }
            for (name, bytes) in inputs { try root.drop(name, bytes) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: inputs.count)
            Harness.sleep(milliseconds: 600)   // a rescan or two more: nothing else may be taken

            let rows = try root.rowsByFile()
            #expect(try root.rows().count == inputs.count, "one row per input")
            for (name, bytes) in good {
                let row = try #require(rows[name]?.first, "no row for \(name)")
                #expect(rows[name]?.count == 1, "\(name)")
                #expect(row["status"] == (name == blank.0 ? "blank" : "ok"), "\(name): \(row)")
                #expect(row["stored_as"] == "done/\(name)")
                #expect(row["sha256"] == DaemonEndToEndTests.sha256(bytes))
                #expect(row["reason"] == "")
                if name == blank.0 {
                    #expect(row["digit"] == "" && row["confidence"] == "")
                } else {
                    #expect(Int(row["digit"] ?? "").map { (0...9).contains($0) } == true, "\(name): \(row)")
                    #expect(Double(row["confidence"] ?? "").map { $0 > 0 && $0 <= 1 } == true)
                }
                #expect(try RawFile.read(folder: root.layout.done, name: ScanName(name)) == bytes)
            }
            for (name, bytes) in bad {
                let row = try #require(rows[name]?.first, "no row for \(name)")
                #expect(rows[name]?.count == 1, "\(name)")
                #expect(row["status"] == "error", "\(name): \(row)")
                #expect(row["digit"] == "" && row["confidence"] == "")
                #expect(row["stored_as"] == "failed/\(name)")
                #expect(try RawFile.read(folder: root.layout.failed, name: ScanName(name)) == bytes)
                let reason = String(decoding: try RawFile.read(folder: root.layout.failed, name: ScanName(name + ".reason")),
                                    as: UTF8.self)
                #expect(reason.hasSuffix("\n") && reason.dropLast().allSatisfy { !$0.isNewline } && reason.count > 1,
                        "\(name): \(reason.debugDescription)")
                #expect(reason.dropLast() == row["reason"] ?? "", "\(name)")
            }
            #expect(rows["zero-bytes.png"]?.first?["reason"]?.isEmpty == false)
            #expect(rows["huge-declared-size.png"]?.first?["reason"]?.contains("100000") == true,
                    "\(rows["huge-declared-size.png"]?.first?["reason"] ?? "")")

            // Ignored entries: still in the inbox, untouched.
            #expect(Set(try root.names(root.layout.inbox).map(\.description)) == ignored)
            var info = stat()
            #expect(lstat(root.layout.inbox + "/fifo.png", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
            #expect(lstat(root.layout.inbox + "/link.png", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
            #expect(FileManager.default.fileExists(atPath: root.layout.inbox + "/folder.png/inside.png"))
            #expect(FileManager.default.fileExists(atPath: root.path + "/target.png"))
            for name in ignored { #expect(rows[name] == nil, "\(name) was processed") }
            #expect(try root.names(root.layout.processing).isEmpty)

            let status = try daemon.status(socket: root.layout.socket)
            #expect(status.ready)
            #expect(status.processed == inputs.count)
            #expect(status.errors == bad.count)
            #expect(status.ok + status.blank == good.count)
            #expect(status.blank == 1)
            #expect(status.queueDepth == 0)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// Unreadable (chmod 000) input: failed with the reason, daemon running.
        /// Root reads any file whatever its mode, so there it cannot be tested.
        @Test(.enabled(if: geteuid() != 0, "running as root: a chmod 000 file is readable by root, permission denied cannot be produced"))
        func permissionDenied() throws {
            let root = try DaemonRoot("perm")
            let daemon = try root.startReady()
            let name = ScanName("locked.png")
            try root.stage(name, try Fixtures.png(TestImages.page(seed: 11)))
            #expect(chmod(root.staging + "/locked.png", 0) == 0)
            try root.moveIn(name)
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)
            let row = try #require(try root.rowsByFile()["locked.png"]?.first)
            #expect(row["status"] == "error")
            #expect(row["reason"]?.contains("Permission denied") == true, "\(row)")
            #expect(FileOps.status(root.layout.failed, name) != nil)
            #expect(try daemon.status(socket: root.layout.socket).ready)
            DaemonEndToEndTests.stop(daemon, root)
        }
    }

    @Suite struct Collisions {
        /// The same name dropped three times (each after the last is done):
        /// name, name~2, name~3 in done/, each row saying where its file went.
        @Test func sameNameNeverOverwrites() throws {
            let root = try DaemonRoot("collide")
            let daemon = try root.startReady()
            var inputs: [[UInt8]] = []
            for k in 0..<3 {
                let bytes = try Fixtures.png(TestImages.page(seed: 100 + UInt64(k)))
                inputs.append(bytes)
                try root.drop("same.png", bytes)
                try DaemonEndToEndTests.waitFinished(root, daemon, count: k + 1)
            }
            for k in 0..<3 {
                let bytes = Array("broken \(k)".utf8)
                inputs.append(bytes)
                try root.drop("broken.png", bytes)
                try DaemonEndToEndTests.waitFinished(root, daemon, count: 4 + k)
            }
            let rows = try root.rowsByFile()
            let same = try #require(rows["same.png"])
            #expect(same.map { $0["stored_as"] } == ["done/same.png", "done/same~2.png", "done/same~3.png"])
            for (k, row) in same.enumerated() {
                let stored = try #require(row["stored_as"]).dropFirst("done/".count)
                let bytes = try RawFile.read(folder: root.layout.done, name: ScanName(String(stored)))
                #expect(bytes == inputs[k])
                #expect(row["sha256"] == DaemonEndToEndTests.sha256(bytes))
            }
            let broken = try #require(rows["broken.png"])
            #expect(broken.map { $0["stored_as"] } == ["failed/broken.png", "failed/broken~2.png", "failed/broken~3.png"])
            for (k, row) in broken.enumerated() {
                let stored = String(try #require(row["stored_as"]).dropFirst("failed/".count))
                #expect(try RawFile.read(folder: root.layout.failed, name: ScanName(stored)) == inputs[3 + k])
                #expect(FileOps.status(root.layout.failed, ScanName(stored + ".reason")) != nil)
            }
            #expect(try root.names(root.layout.done).count == 3)
            #expect(try root.names(root.layout.failed).count == 6)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// 255-byte names (NAME_MAX), each dropped twice: done/ keeps the name
        /// and a numbered one; failed/ cuts it to leave room for its `.reason`.
        @Test func longNamesTwice() throws {
            let root = try DaemonRoot("longnames")
            let daemon = try root.startReady()
            let good = ScanName(String(repeating: "g", count: 251) + ".png")
            let bad = ScanName(String(repeating: "b", count: 251) + ".png")
            let image = try Fixtures.png(TestImages.page(seed: 90))
            for k in 0..<2 {
                try root.drop(good, image)
                try root.drop(bad, Array("not an image \(k)".utf8))
                try DaemonEndToEndTests.waitFinished(root, daemon, count: 2 * (k + 1))
            }
            let rows = try root.rowsByFile()
            #expect(rows[good.description]?.map { $0["status"] } == ["ok", "ok"])
            #expect(rows[bad.description]?.map { $0["status"] } == ["error", "error"])
            let done = try root.names(root.layout.done)
            #expect(done.count == 2 && done.contains(good))
            #expect(Set(done.map { "done/\($0)" }) == Set(rows[good.description]?.compactMap { $0["stored_as"] } ?? []))
            let failed = try root.names(root.layout.failed).filter { !$0.description.hasSuffix(".reason") }
            #expect(failed.count == 2)
            #expect(Set(failed.map { "failed/\($0)" }) == Set(rows[bad.description]?.compactMap { $0["stored_as"] } ?? []))
            for name in failed {
                #expect(name.description.hasPrefix("bbbbbbbb") && name.description.hasSuffix(".png"))
                #expect(FileOps.status(root.layout.failed, ScanLifecycle.reasonName(name)) != nil, "no reason beside \(name)")
            }
            #expect(try root.names(root.layout.failed).count == 4)
            DaemonEndToEndTests.stop(daemon, root)
        }
    }

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
