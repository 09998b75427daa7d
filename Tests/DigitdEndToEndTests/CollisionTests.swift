import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
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
}
