import Foundation
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// DESIGN §3: after `kill -9` at any instant, a restart finishes the job:
    /// every input ends in done/ or failed/ exactly once, with exactly one row.
    @Suite struct CrashSafety {
        /// A stream of files renamed into the inbox while digitd is killed
        /// (SIGKILL) at random moments, during start-up and recovery as well as
        /// mid-batch, and restarted each time; then it is let finish.
        @Test func killNineAtRandomMoments() throws {
            let root = try DaemonRoot("crash", .init(batchMaxSize: 16, batchMaxDelayMs: 5, quietPeriodMs: 300, rescanIntervalS: 0.3))
            let count = 400
            let seed = UInt64(UInt32(truncatingIfNeeded: time(nil)))
            var rng = SeededRandom(seed: seed)
            print("killNineAtRandomMoments: seed \(seed)")
            var inputs: [(name: String, bytes: [UInt8], bad: Bool)] = []
            // Page-sized scans, so a batch takes long enough for kills to land inside it.
            let images = try (0..<40).map { try Fixtures.png(TestImages.page(width: 640, height: 640, seed: 1000 + UInt64($0))) }
            let jpegs = try (0..<10).map { try Fixtures.jpeg(TestImages.page(width: 800, height: 800, seed: 2000 + UInt64($0)), quality: 90) }
            for i in 0..<count {
                if i % 25 == 13 {
                    inputs.append(("scan-\(i)-bad.png", Array(images[i % 40].prefix(60)), true))
                } else if i % 7 == 3 {
                    inputs.append(("scan-\(i).jpg", jpegs[i % 10], false))
                } else {
                    inputs.append(("scan-\(i).png", images[i % 40], false))
                }
            }
            for input in inputs { try root.stage(ScanName(input.name), input.bytes) }

            // The feeder renames files in at an uneven pace for the whole kill phase.
            let delays = (0..<count).map { _ in Int.random(in: 0...30, using: &rng) }
            let fed = DispatchSemaphore(value: 0)
            let feedError = Box<Error?>(nil)
            let names = inputs.map(\.name)
            Thread.detachNewThread {
                do {
                    for (name, delay) in zip(names, delays) {
                        try root.moveIn(ScanName(name))
                        Harness.sleep(milliseconds: delay)
                    }
                } catch { feedError.value = error }
                fed.signal()
            }

            let kills = 24
            var killedBeforeReady = 0
            for k in 0..<kills {
                let daemon = try root.start()
                // Half the kills at a random moment after the spawn (start-up,
                // recovery), half at a random moment after it is serving.
                if k % 2 == 1 {
                    try daemon.waitReady(socket: root.layout.socket, timeout: 60)
                } else {
                    killedBeforeReady += 1
                }
                Harness.sleep(milliseconds: Int.random(in: 5...300, using: &rng))
                #expect(daemon.isRunning, "digitd died on its own before kill \(k): \(daemon.tail)")
                daemon.crash()
            }
            fed.wait()
            if let error = feedError.value { throw error }

            let daemon = try root.startReady()
            try DaemonEndToEndTests.waitFinished(root, daemon, count: count, timeout: 90)
            Harness.sleep(milliseconds: 500)
            DaemonEndToEndTests.stop(daemon, root)

            // Every input exactly once in done/ or failed/, nothing anywhere else.
            #expect(try root.names(root.layout.inbox).isEmpty)
            #expect(try root.names(root.layout.processing).isEmpty)
            let done = Set(try root.names(root.layout.done).map(\.description))
            let failedAll = try root.names(root.layout.failed).map(\.description)
            let failed = Set(failedAll.filter { !$0.hasSuffix(".reason") })
            #expect(done.count + failed.count == count, "\(done.count) done + \(failed.count) failed for \(count) inputs")
            #expect(done.isDisjoint(with: failed))
            #expect(done.union(failed) == Set(names), "unexpected: \(done.union(failed).subtracting(names).sorted().prefix(10))")
            #expect(Set(failedAll.filter { $0.hasSuffix(".reason") }) == Set(failed.map { $0 + ".reason" }))

            // Exactly one row per input, each matching where its file is.
            let rows = try root.rowsByFile()
            #expect(try root.rows().count == count)
            for input in inputs {
                guard let mine = rows[input.name] else {
                    Issue.record("no row for \(input.name)")
                    continue
                }
                #expect(mine.count == 1, "\(mine.count) rows for \(input.name)")
                let row = mine[0]
                // In flight at two of the kills (its retry cut short too): quarantined, as a poison pill is.
                let quarantined = row["reason"] == ScanPipeline.quarantineReason
                #expect(row["status"] == (input.bad || quarantined ? "error" : "ok"), "\(input.name): \(row)")
                #expect(row["stored_as"] == (input.bad || quarantined ? "failed/" : "done/") + input.name)
                #expect((input.bad || quarantined ? failed : done).contains(input.name))
                #expect(row["sha256"] == DaemonEndToEndTests.sha256(input.bytes), "\(input.name)")
            }
            // Retries run one file at a time, so each death can cut short at most one.
            let quarantined = rows.values.filter { $0.first?["reason"] == ScanPipeline.quarantineReason }.count
            #expect(quarantined <= kills, "\(quarantined) quarantined after \(kills) kills")
            // How often the kills left work behind (the lines recover() logs).
            var restarts = 0, moved = 0, redone = 0
            for line in root.log.split(separator: "\n") where line.contains("recovered processing/: ") {
                let numbers = line.split { !$0.isNumber }.suffix(3).compactMap { Int($0) }
                guard numbers.count == 3 else { continue }
                restarts += 1
                moved += numbers[0]
                redone += numbers[1]
            }
            print("killNineAtRandomMoments: \(kills) kills (\(killedBeforeReady) before ready); \(restarts) restarts found claims: "
                + "\(moved) with their row written (only moved), \(redone) processed again, \(quarantined) quarantined")
        }

        /// States a kill leaves in processing/, made exactly: a claim whose row
        /// was written (ok and error), one claimed with no row, one whose row
        /// was torn before its CRLF. The restart moves the first two without a
        /// second row and processes the others once.
        @Test func restartAfterKillMidBatch() throws {
            let root = try DaemonRoot("recover")
            let lifecycle = ScanLifecycle(layout: root.layout)
            let results = ResultsLog(folder: root.layout.results)
            let good = try Fixtures.png(TestImages.page(seed: 61))
            let bad = Array("Hello, this is not an image.\n".utf8)

            func claim(_ name: String, _ bytes: [UInt8]) throws -> Claim {
                try RawFile.write(bytes, folder: root.layout.inbox, name: ScanName(name))
                return try #require(try lifecycle.claim(ScanName(name)))
            }
            func row(_ claim: Claim, _ bytes: [UInt8], _ status: ResultRow.Status, reason: String = "") -> ResultRow {
                Self.row(claim, bytes, status, reason: reason, lifecycle: lifecycle)
            }

            // A file finished normally before the kill.
            let finished = try claim("finished.png", good)
            try results.append([row(finished, good, .ok)])
            try lifecycle.finish(finished, .done, planned: lifecycle.plannedName(finished, .done))
            // The batch in flight: rows written for two, then killed before the moves.
            let written = try claim("written.png", good)
            let writtenBad = try claim("written-bad.png", bad)
            try results.append([row(written, good, .ok), row(writtenBad, bad, .error, reason: "not a PNG or JPEG: starts with 48 65 6c 6c (Hell)")])
            // Claimed, no row yet.
            let claimed = try claim("claimed.png", good)
            // Its row torn right before the CRLF: not written.
            let torn = try claim("torn.png", good)
            try results.append([row(torn, good, .ok)])
            let csv = root.layout.results + "/" + ResultsLog.fileName(for: Date())
            #expect(truncate(csv, off_t(try RawFile.read(folder: root.layout.results, name: ScanName(ResultsLog.fileName(for: Date()))).count - 2)) == 0)
            _ = claimed

            let daemon = try root.startReady()
            try root.drop("after.png", good)   // one more append after the restart
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 6)

            let rows = try root.rowsByFile()
            #expect(try root.rows().count == 6)
            for name in ["finished.png", "written.png", "written-bad.png", "claimed.png", "torn.png", "after.png"] {
                #expect(rows[name]?.count == 1, "\(rows[name]?.count ?? 0) rows for \(name)")
            }
            // The rows written before the kill are the ones kept (model "earlier").
            #expect(rows["written.png"]?.first?["model"] == "earlier@00000000")
            #expect(rows["written.png"]?.first?["claim"] == written.id)
            #expect(rows["written-bad.png"]?.first?["model"] == "earlier@00000000")
            #expect(rows["claimed.png"]?.first?["model"] != "earlier@00000000")
            #expect(rows["claimed.png"]?.first?["claim"] == claimed.id)
            #expect(rows["torn.png"]?.first?["model"] != "earlier@00000000")
            for name in ["finished.png", "written.png", "claimed.png", "torn.png", "after.png"] {
                #expect(try RawFile.read(folder: root.layout.done, name: ScanName(name)) == good, "\(name)")
            }
            #expect(try RawFile.read(folder: root.layout.failed, name: ScanName("written-bad.png")) == bad)
            let reason = try RawFile.read(folder: root.layout.failed, name: ScanName("written-bad.png.reason"))
            #expect(String(decoding: reason, as: UTF8.self) == "not a PNG or JPEG: starts with 48 65 6c 6c (Hell)\n")
            #expect(try root.names(root.layout.processing).isEmpty)
            // Status counts what this run processed (not the moves it only finished).
            #expect(try daemon.status(socket: root.layout.socket).processed == 3)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// The row digitd writes for a claim before its move (model "earlier"), stored
        /// under the name the claim would get now.
        static func row(_ claim: Claim, _ bytes: [UInt8], _ status: ResultRow.Status, reason: String = "", lifecycle: ScanLifecycle) -> ResultRow {
            let outcome: ScanLifecycle.Outcome = status == .error ? .failed : .done
            return ResultRow(file: claim.original.description, sha256: DaemonEndToEndTests.sha256(bytes), status: status,
                             digit: status == .ok ? 3 : nil, confidence: status == .ok ? 0.4242 : nil, model: "earlier@00000000",
                             processedAt: Date(), secondDigit: nil, secondConfidence: nil, reason: reason,
                             storedAs: "\(outcome.rawValue)/\(lifecycle.plannedName(claim, outcome))", claim: claim.id)
        }

        /// A kill between a claim's link and its unlink (moves on a network share): the
        /// file in processing/ and still in the inbox. The restart processes it once; it is
        /// not claimed a second time from the inbox.
        @Test func restartAfterKillBetweenTheLinkAndTheUnlinkOfAClaim() throws {
            let root = try DaemonRoot("linkclaim")
            let good = try Fixtures.png(TestImages.page(seed: 67))
            let name = ScanName("cut.png")
            try RawFile.write(good, folder: root.layout.inbox, name: name)
            let claim = Claim(id: ScanLifecycle(layout: root.layout).nextID(), original: name)
            try RawFile.link(name, from: root.layout.inbox, to: root.layout.processing, as: claim.processingName)

            let daemon = try root.startReady(environment: NetworkShares.noRenameNoReplace)
            // Empty inbox and processing/: a second claim would have been taken and finished by then.
            try Harness.waitUntil("the inbox and processing/ empty", timeout: 60, describe: root.describe) {
                try root.finishedCount() >= 1 && root.names(root.layout.inbox).isEmpty && root.names(root.layout.processing).isEmpty
            }
            #expect(try root.rows().count == 1, "\(root.describe())")
            #expect(try root.rowsByFile()["cut.png"]?.first?["claim"] == claim.id)
            #expect(try root.names(root.layout.done) == [name])
            #expect(try RawFile.read(folder: root.layout.done, name: name) == good)
            #expect(FileOps.status(root.layout.done, name)?.st_nlink == 1)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// A kill between a finish's link and its unlink, its row written: the file in done/
        /// (or failed/, its reason beside it) and still in processing/. The restart removes
        /// the processing/ name; it does not move the file again (a second copy, NAME~2).
        @Test func restartAfterKillBetweenTheLinkAndTheUnlinkOfAFinish() throws {
            let root = try DaemonRoot("linkfinish")
            let lifecycle = ScanLifecycle(layout: root.layout)
            let results = ResultsLog(folder: root.layout.results)
            let good = try Fixtures.png(TestImages.page(seed: 68))
            let bad = Array("Hello, this is not an image.\n".utf8)
            let reason = "not a PNG or JPEG: starts with 48 65 6c 6c (Hell)"
            var claims: [Claim] = []
            for (name, bytes) in [("good.png", good), ("bad.png", bad)] {
                try RawFile.write(bytes, folder: root.layout.inbox, name: ScanName(name))
                claims.append(try #require(try lifecycle.claim(ScanName(name))))
            }
            try results.append([Self.row(claims[0], good, .ok, lifecycle: lifecycle),
                                Self.row(claims[1], bad, .error, reason: reason, lifecycle: lifecycle)])
            try RawFile.link(claims[0].processingName, from: root.layout.processing, to: root.layout.done, as: ScanName("good.png"))
            try RawFile.write(Array((reason + "\n").utf8), folder: root.layout.failed, name: ScanName("bad.png.reason"))
            try RawFile.link(claims[1].processingName, from: root.layout.processing, to: root.layout.failed, as: ScanName("bad.png"))

            let daemon = try root.startReady(environment: NetworkShares.noRenameNoReplace)
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 2)
            #expect(try root.rows().count == 2)
            #expect(try root.names(root.layout.done) == [ScanName("good.png")], "\(root.describe())")
            #expect(Set(try root.names(root.layout.failed)) == [ScanName("bad.png"), ScanName("bad.png.reason")])
            #expect(try RawFile.read(folder: root.layout.done, name: ScanName("good.png")) == good)
            #expect(try RawFile.read(folder: root.layout.failed, name: ScanName("bad.png")) == bad)
            #expect(try RawFile.read(folder: root.layout.failed, name: ScanName("bad.png.reason")) == Array((reason + "\n").utf8))
            #expect(FileOps.status(root.layout.done, ScanName("good.png"))?.st_nlink == 1)
            #expect(FileOps.status(root.layout.failed, ScanName("bad.png"))?.st_nlink == 1)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// Killed right after the day's results file was created, before its
        /// header: the restart must start, recover, and write the header once.
        @Test func restartAfterKillBeforeTheHeader() throws {
            let root = try DaemonRoot("noheader")
            let good = try Fixtures.png(TestImages.page(seed: 65))
            try RawFile.write(good, folder: root.layout.inbox, name: ScanName("claimed.png"))
            #expect(try ScanLifecycle(layout: root.layout).claim(ScanName("claimed.png")) != nil)
            #expect(FileManager.default.createFile(atPath: root.layout.results + "/" + ResultsLog.fileName(for: Date()), contents: Data()))

            let daemon = try root.startReady()
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)
            #expect(try root.rowsByFile()["claimed.png"]?.count == 1)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// Two claims of one inbox name left in processing/ (each claimed before
        /// a kill): both finished, under two names, each row saying which.
        @Test func restartWithTwoClaimsOfOneName() throws {
            let root = try DaemonRoot("twins")
            let lifecycle = ScanLifecycle(layout: root.layout)
            var inputs: [[UInt8]] = []
            for k in 0..<3 {
                let bytes = try Fixtures.png(TestImages.page(seed: 70 + UInt64(k)))
                inputs.append(bytes)
                try RawFile.write(bytes, folder: root.layout.inbox, name: ScanName("twin.png"))
                #expect(try lifecycle.claim(ScanName("twin.png")) != nil)
            }
            let daemon = try root.startReady()
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 3)
            let rows = try #require(try root.rowsByFile()["twin.png"])
            #expect(rows.count == 3)
            #expect(Set(rows.compactMap { $0["stored_as"] }) == ["done/twin.png", "done/twin~2.png", "done/twin~3.png"])
            for row in rows {
                let stored = String(try #require(row["stored_as"]).dropFirst("done/".count))
                let bytes = try RawFile.read(folder: root.layout.done, name: ScanName(stored))
                #expect(row["sha256"] == DaemonEndToEndTests.sha256(bytes), "row for \(stored) describes another file")
            }
            #expect(Set(try root.names(root.layout.done).map { try RawFile.read(folder: root.layout.done, name: $0) }) == Set(inputs))
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// Names that do not survive a trip through text or through the
        /// `<id>-` prefix: Latin-1 bytes, and 255-byte names (NAME_MAX), with
        /// and without a row written before the kill. The restart must start,
        /// and store each under its exact inbox name with one row.
        @Test func restartWithAwkwardNames() throws {
            let root = try DaemonRoot("awkward")
            let lifecycle = ScanLifecycle(layout: root.layout)
            let results = ResultsLog(folder: root.layout.results)
            let good = try Fixtures.png(TestImages.page(seed: 81))
            let latin1 = ScanName(bytes: [0x6C, 0xE9, 0x2E, 0x70, 0x6E, 0x67])                  // "lé.png" in Latin-1
            let long = ScanName(String(repeating: "L", count: 251) + ".png")
            let longLatin1 = ScanName(bytes: Array(repeating: 0xE9, count: 251) + Array(".png".utf8))
            let longNoRow = ScanName(String(repeating: "N", count: 251) + ".jpg")
            let longLatin1NoRow = ScanName(bytes: Array(repeating: 0xF6, count: 250) + Array(".jpeg".utf8))
            var rows: [ResultRow] = []
            for name in [latin1, long, longLatin1, longNoRow, longLatin1NoRow] {
                try RawFile.write(good, folder: root.layout.inbox, name: name)
                let claim = try #require(try lifecycle.claim(name))
                if name == longNoRow || name == longLatin1NoRow { continue }
                rows.append(ResultRow(file: name.description, sha256: DaemonEndToEndTests.sha256(good), status: .ok, digit: 1,
                                      confidence: 0.5, model: "earlier@00000000", processedAt: Date(), secondDigit: 2,
                                      secondConfidence: 0.25, reason: "", storedAs: "done/\(name)", claim: claim.id))
            }
            try results.append(rows)

            let daemon = try root.startReady()
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 5)
            let byFile = try root.rowsByFile()
            #expect(try root.rows().count == 5)
            for name in [latin1, long, longLatin1, longNoRow, longLatin1NoRow] {
                #expect(byFile[name.description]?.count == 1, "\(name.bytes.count)-byte name \(name)")
                #expect(FileOps.status(root.layout.done, name) != nil, "\(name.bytes.count)-byte name \(name) not in done/ under its own name")
            }
            #expect(try root.names(root.layout.done).count == 5)
            #expect(try root.names(root.layout.processing).isEmpty)
            DaemonEndToEndTests.stop(daemon, root)
        }
    }
}
