import Foundation
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
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
            var rng = SeededRandom(seed: 99)
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
}
