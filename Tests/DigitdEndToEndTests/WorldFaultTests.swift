import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

/// Faults of the world around digitd (DESIGN §3): a full results filesystem, a reason that
/// cannot be written, no file descriptors left, a large processing/ at start-up. Intake
/// pauses, digitd says so, and it resumes by itself; no file is failed, stranded or moved
/// without its row.
@Suite(.serialized) struct WorldFaultTests {
    static let batch = 8

    @Test(.enabled(if: SmallFilesystem.canMount, SmallFilesystem.cannotMount))
    func aFullResultsDiskPausesIntakeAndResumesWhenFreed() throws {
        let root = try DaemonRoot("diskfull", .init(batchMaxSize: Self.batch))
        let disk = try SmallFilesystem(over: root.layout.results, kilobytes: 256)
        let daemon = try root.startReady()
        let before = try DaemonEndToEndTests.stageMany(root, "before", count: 4)
        for input in before { try root.moveIn(ScanName(input.name)) }
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 4)

        try disk.fill()
        let during = try DaemonEndToEndTests.stageMany(root, "during", count: 60)
        for input in during { try root.moveIn(ScanName(input.name)) }
        try Harness.waitUntil("digitd degraded", timeout: 30, describe: root.describe) {
            try daemon.status(socket: root.layout.socket).degraded != nil
        }
        #expect(try daemon.status(socket: root.layout.socket).degraded == "disk full on results/")
        // (Rows that still fitted in the CSV's last page went through.)
        let done = try root.names(root.layout.done).count
        Thread.sleep(forTimeInterval: 2)
        // Intake paused: at most the two batches in flight are claimed; nothing moved without a row.
        #expect(try root.names(root.layout.processing).count <= 2 * Self.batch, "\(root.describe())")
        #expect(try root.names(root.layout.done).count == done)
        #expect(try root.rows().count == done)
        #expect(done < 64)
        #expect(try root.names(root.layout.failed).isEmpty)
        #expect(root.log.contains("paused: disk full on results/"))

        disk.free()
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 64, timeout: 60)
        try DaemonEndToEndTests.expectAllDone(root, before + during)
        #expect(try daemon.status(socket: root.layout.socket).degraded == nil)
        #expect(root.log.contains("resumed: disk full on results/ cleared"))
        DaemonEndToEndTests.stop(daemon, root)
    }

    /// A reason that cannot be written (the disk full as a bad file is recorded, while the
    /// CSV's last page still has room for its row): the file waits in processing/ with its
    /// row, never in failed/ without its reason, and goes there with one reason once freed.
    @Test(.enabled(if: SmallFilesystem.canMount, SmallFilesystem.cannotMount))
    func aReasonThatCannotBeWrittenWaitsForSpace() throws {
        let root = try DaemonRoot("reasonfull")
        // The whole root: failed/ and processing/ must share a filesystem (moves do not cross).
        let disk = try SmallFilesystem(over: root.layout.root, kilobytes: 256)
        let daemon = try root.startReady()
        let inbox = root.layout.inbox
        // Written under ignored names and renamed in: staging/ is on another filesystem now.
        let bad = Array("Hello, this is not an image.\n".utf8)
        try RawFile.write(try Fixtures.png(TestImages.page(width: 32, height: 32, seed: 520)), folder: inbox, name: ScanName(".first.png"))
        try RawFile.write(bad, folder: inbox, name: ScanName(".bad.png"))
        try RawFile.rename(ScanName(".first.png"), from: inbox, to: inbox, as: ScanName("first.png"))
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 1)

        try disk.fill()
        try RawFile.rename(ScanName(".bad.png"), from: inbox, to: inbox, as: ScanName("bad.png"))
        try Harness.waitUntil("digitd degraded", timeout: 30, describe: root.describe) {
            try daemon.status(socket: root.layout.socket).degraded != nil
        }
        #expect(try daemon.status(socket: root.layout.socket).degraded == "disk full on failed/")
        #expect(try root.names(root.layout.failed).isEmpty, "\(root.describe())")
        #expect(try root.names(root.layout.processing).count == 1)
        #expect(try root.rowsByFile()["bad.png"]?.count == 1)

        disk.free()
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 2, timeout: 60)
        let rows = try root.rowsByFile()
        #expect(try root.rows().count == 2)
        let reason = try #require(rows["bad.png"]?.first?["reason"])
        #expect(Set(try root.names(root.layout.failed)) == [ScanName("bad.png"), ScanName("bad.png.reason")])
        #expect(try RawFile.read(folder: root.layout.failed, name: ScanName("bad.png")) == bad)
        #expect(try RawFile.read(folder: root.layout.failed, name: ScanName("bad.png.reason")) == Array((reason + "\n").utf8))
        #expect(try daemon.status(socket: root.layout.socket).degraded == nil)
        #expect(root.log.contains("resumed: disk full on failed/ cleared"))
        DaemonEndToEndTests.stop(daemon, root)
    }

    /// EMFILE while reading scans (here: the soft RLIMIT_NOFILE lowered under digitd's feet,
    /// as a descriptor leak or a flood of clients would) is not the files' fault.
    @Test func runningOutOfDescriptorsNeverFailsAFile() throws {
        let root = try DaemonRoot("emfile", .init(batchMaxSize: Self.batch))
        let daemon = try root.startReady()
        let before = try DaemonEndToEndTests.stageMany(root, "before", count: 3)
        for input in before { try root.moveIn(ScanName(input.name)) }
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 3)

        // Every fd digitd has stays usable; no new one can be opened.
        try Self.setOpenFileLimit(of: daemon.pid, to: "3")
        let during = try DaemonEndToEndTests.stageMany(root, "during", count: 6)
        for input in during { try root.moveIn(ScanName(input.name)) }
        try Harness.waitUntil("digitd paused", timeout: 30, describe: root.describe) {
            root.log.contains("paused: out of file descriptors on processing/")
        }
        Thread.sleep(forTimeInterval: 1)
        #expect(try root.names(root.layout.failed).isEmpty, "\(root.describe())")
        #expect(try root.names(root.layout.done).count == 3)

        try Self.setOpenFileLimit(of: daemon.pid, to: "1024")
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 9, timeout: 60)
        try DaemonEndToEndTests.expectAllDone(root, before + during)
        #expect(root.log.contains("resumed: out of file descriptors on processing/ cleared"))
        DaemonEndToEndTests.stop(daemon, root)
    }

    /// systemd's MemoryMax= (here a memory cgroup the test makes): a scan that alone needs
    /// more is OOM-killed in its batch, then alone on its retry, then quarantined; the scans
    /// beside it are done. What the unit's MemoryMax does (the nspawn container of
    /// `make systemd-check` has no memory controller to show it).
    @Test(.enabled(if: MemoryCgroup.available, MemoryCgroup.unavailable))
    func aScanTooBigForTheMemoryLimitIsQuarantined() throws {
        let root = try DaemonRoot("memorymax", .init(batchMaxSize: Self.batch))
        let cgroup = try MemoryCgroup("memorymax", megabytes: 150)
        // 36 megapixels, three full-resolution components, progressive: libjpeg holds
        // ~216 MB of coefficients for it (within the decode limits: 40 MP, 64 MB).
        let side = 6000
        var pixels = [UInt8](repeating: 255, count: side * side * 3)
        for y in (side / 5)..<(4 * side / 5) { for x in (side / 2 - 200)..<(side / 2 + 200) { for c in 0..<3 { pixels[(y * side + x) * 3 + c] = 16 } } }
        let big = try Fixtures.jpeg(width: side, height: side, components: 3, pixels: pixels, quality: 90, progressive: true, fullChroma: true)
        pixels = []
        try root.stage(ScanName("big.jpg"), big)
        let beside = try DaemonEndToEndTests.stageMany(root, "beside", count: 6)
        try root.moveIn(ScanName("big.jpg"))
        for input in beside { try root.moveIn(ScanName(input.name)) }

        let (daemon, signals) = try DaemonEndToEndTests.PoisonPills.restartingUntil(
            root, environment: ["SWIFT_BACKTRACE": "enable=no"], onStart: { try cgroup.add($0.pid) }) {
            try root.finishedCount() == 7 && root.names(root.layout.processing).isEmpty
        }
        #expect(signals == [SIGKILL, SIGKILL], "deaths: \(signals)")
        let rows = try root.rowsByFile()
        #expect(rows["big.jpg"]?.count == 1)
        #expect(rows["big.jpg"]?.first?["reason"] == ScanPipeline.quarantineReason)
        #expect(Set(try root.names(root.layout.done).map(\.description)) == Set(beside.map(\.name)))
        #expect(beside.allSatisfy { rows[$0.name]?.count == 1 })
        DaemonEndToEndTests.stop(daemon, root)
    }

    /// Recovering processing/ before READY=1 tells systemd it is still starting
    /// (EXTEND_TIMEOUT_USEC), so a large backlog does not run into TimeoutStartSec.
    @Test func recoveryAtStartUpExtendsTheStartTimeout() throws {
        let root = try DaemonRoot("extend")
        let inputs = try DaemonEndToEndTests.stageMany(root, "left", count: 20)
        let lifecycle = ScanLifecycle(layout: root.layout)
        for input in inputs {
            try root.moveIn(ScanName(input.name))
            #expect(try lifecycle.claim(ScanName(input.name)) != nil)
        }
        let notify = try NotifySocket(path: root.path + "/notify.sock")
        let daemon = try root.startReady(environment: ["NOTIFY_SOCKET": notify.path])
        try DaemonEndToEndTests.waitFinished(root, daemon, count: 20)
        try DaemonEndToEndTests.expectAllDone(root, inputs)
        try Harness.waitUntil("READY=1", timeout: 10) { notify.readies > 0 }
        let messages = notify.messages
        let extend = messages.firstIndex { $0.hasPrefix("EXTEND_TIMEOUT_USEC=") }
        #expect(extend != nil && extend! < messages.firstIndex(of: "READY=1")!, "\(messages.prefix(10))")
        DaemonEndToEndTests.stop(daemon, root)
    }

    /// prlimit(1) on the running digitd: the soft limit only, so the test can raise it again.
    static func setOpenFileLimit(of pid: pid_t, to soft: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--pid", "\(pid)", "--nofile=\(soft):"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DigitdError("prlimit --nofile=\(soft): failed on pid \(pid)") }
    }
}
