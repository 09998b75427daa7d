import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// NFS and CIFS reject renameat2's RENAME_NOREPLACE with EINVAL: there digitd moves by
    /// link then unlink, which never replaces either. (The kills between the two calls are
    /// in CrashSafety.)
    @Suite struct NetworkShares {
        /// The fault switch that makes renameat2(RENAME_NOREPLACE) fail with EINVAL.
        static let noRenameNoReplace = ["DIGITD_FAULT_NO_RENAME_NOREPLACE": "1"]

        /// Every file claimed and finished with one row; a name taken in done/ since its row
        /// was planned, and the same name dropped again, are numbered in done/ and failed/,
        /// never replaced; no file is left under two names.
        @Test func withoutRenameNoReplaceFilesAreMovedByLinkAndNeverReplaced() throws {
            try #require(FaultInjection.isCompiledIn, "the fault switch is compiled in by `make test` only (-DDIGITD_FAULT_INJECTION)")
            let root = try DaemonRoot("linkmoves")
            // Left by a kill after its row; the name the row planned was taken meanwhile.
            let lifecycle = ScanLifecycle(layout: root.layout)
            let left = try Fixtures.png(TestImages.page(seed: 299))
            try RawFile.write(left, folder: root.layout.inbox, name: ScanName("taken.png"))
            let claim = try #require(try lifecycle.claim(ScanName("taken.png")))
            try ResultsLog(folder: root.layout.results).append([CrashSafety.row(claim, left, .ok, lifecycle: lifecycle)])
            try RawFile.write([7], folder: root.layout.done, name: ScanName("taken.png"))

            let daemon = try root.startReady(environment: Self.noRenameNoReplace)
            #expect(root.log.contains("moves: link then unlink: renameat2(RENAME_NOREPLACE) is not supported in \(root.layout.processing)"),
                    "\(root.describe())")
            let inputs = try DaemonEndToEndTests.stageMany(root, "share", count: 40)
            for input in inputs { try root.moveIn(ScanName(input.name)) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 2 + inputs.count)
            var same: [[UInt8]] = []
            for k in 0..<3 {
                same.append(try Fixtures.png(TestImages.page(seed: 300 + UInt64(k))))
                try root.drop("same.png", same[k])
                try DaemonEndToEndTests.waitFinished(root, daemon, count: 2 + inputs.count + k + 1)
            }
            for k in 0..<2 {
                try root.drop("broken.png", Array("broken \(k)".utf8))
                try DaemonEndToEndTests.waitFinished(root, daemon, count: 2 + inputs.count + 3 + k + 1)
            }

            let rows = try root.rowsByFile()
            #expect(try root.rows().count == 1 + inputs.count + 5)
            #expect(rows["taken.png"]?.count == 1)
            #expect(try RawFile.read(folder: root.layout.done, name: ScanName("taken.png")) == [7])
            #expect(try RawFile.read(folder: root.layout.done, name: ScanName("taken~2.png")) == left)
            for input in inputs {
                #expect(rows[input.name]?.map { $0["stored_as"] } == ["done/\(input.name)"], "\(input.name)")
                #expect(try RawFile.read(folder: root.layout.done, name: ScanName(input.name)) == input.bytes)
            }
            let stored = try #require(rows["same.png"]).map { String(($0["stored_as"] ?? "").dropFirst("done/".count)) }
            #expect(stored == ["same.png", "same~2.png", "same~3.png"])
            for (name, bytes) in zip(stored, same) {
                #expect(try RawFile.read(folder: root.layout.done, name: ScanName(name)) == bytes, "\(name)")
            }
            #expect(try #require(rows["broken.png"]).map { $0["stored_as"] } == ["failed/broken.png", "failed/broken~2.png"])
            for (k, name) in ["broken.png", "broken~2.png"].enumerated() {
                #expect(try RawFile.read(folder: root.layout.failed, name: ScanName(name)) == Array("broken \(k)".utf8))
                #expect(FileOps.status(root.layout.failed, ScanName(name + ".reason"))?.st_size ?? 0 > 0, "no reason beside \(name)")
            }
            #expect(try root.names(root.layout.done).count == 2 + inputs.count + 3)
            #expect(try root.names(root.layout.failed).count == 4)
            for folder in [root.layout.done, root.layout.failed] {
                for name in try root.names(folder) {
                    #expect(FileOps.status(folder, name)?.st_nlink == 1, "\(name) is still under two names")
                }
            }
            #expect(try root.names(root.layout.inbox).isEmpty)
            #expect(try root.names(root.layout.processing).isEmpty)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// A real filesystem without RENAME_NOREPLACE (bindfs, FUSE) under the whole root,
        /// the scans written into it from outside, as another client of a share writes
        /// them: the probe finds it out, the rescans find the files, all are done once.
        @Test(.enabled(if: PassthroughFilesystem.available, PassthroughFilesystem.unavailable))
        func onAFilesystemWithoutRenameNoReplace() throws {
            let root = try DaemonRoot("bindfs")
            let share = try PassthroughFilesystem(over: root.layout.root, backing: root.path + "/backing")
            let daemon = try root.startReady()
            #expect(root.log.contains("moves: link then unlink: renameat2(RENAME_NOREPLACE) is not supported in \(root.layout.processing) (Invalid argument)"),
                    "\(root.describe())")
            let inputs = try DaemonEndToEndTests.stageMany(root, "client", count: 20)
            let inbox = share.backing + "/inbox"
            for input in inputs {
                try RawFile.write(input.bytes, folder: inbox, name: ScanName("." + input.name))
                try RawFile.rename(ScanName("." + input.name), from: inbox, to: inbox, as: ScanName(input.name))
            }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: inputs.count)
            try DaemonEndToEndTests.expectAllDone(root, inputs)
            DaemonEndToEndTests.stop(daemon, root)
            withExtendedLifetime(share) {}
        }
    }
}
