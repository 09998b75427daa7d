import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// No scan can take digitd down: a file that kills it (the test build's
    /// fault switch makes digitd die on it the way a real poison pill would)
    /// is retried once, then quarantined to failed/ with its row, and the rest
    /// of the inbox is processed; the same for an image under labels/.
    @Suite struct PoisonPills {
        /// The fault switch's variables; no crash backtrace (the Swift runtime's
        /// symbolication takes seconds per death).
        static func fault(on name: String, _ kind: String, _ more: [String: String] = [:]) -> [String: String] {
            ["DIGITD_FAULT_ON": name, "DIGITD_FAULT": kind, "SWIFT_BACKTRACE": "enable=no"].merging(more) { $1 }
        }

        /// systemd's Restart=on-failure, played by the test: digitd is started
        /// again whenever it dies, until `done` holds; the signals it died of.
        static func restartingUntil(_ root: DaemonRoot, environment: [String: String], maxDeaths: Int = 4,
                                    onStart: (DaemonProcess) throws -> Void = { _ in },
                                    _ done: () throws -> Bool) throws -> (daemon: DaemonProcess, signals: [Int32]) {
            var signals: [Int32] = []
            var daemon = try root.start(environment: environment)
            try onStart(daemon)
            try Harness.waitUntil("the inbox to be finished", timeout: 120, describe: root.describe) {
                if !daemon.isRunning {
                    let status = daemon.exitStatus ?? 0
                    #expect(DaemonProcess.exitCode(status) == nil, "digitd exited (\(status)) instead of dying on the fault")
                    signals.append(status & 0x7F)
                    guard signals.count <= maxDeaths else {
                        throw DigitdError("digitd died \(signals.count) times: a restart loop. \(root.describe())")
                    }
                    daemon = try root.start(environment: environment)
                    try onStart(daemon)
                }
                return try done()
            }
            return (daemon, signals)
        }

        @Test(arguments: ["abort", "trap"]) func aScanThatKillsDigitdTwiceIsQuarantined(fault: String) throws {
            try #require(FaultInjection.isCompiledIn, "the fault switch is compiled in by `make test` only (-DDIGITD_FAULT_INJECTION)")
            let root = try DaemonRoot("poison-\(fault)", .init(batchMaxSize: 8))
            let good = (0..<30).map { "scan-\($0).png" }
            for (i, name) in good.enumerated() { try root.stage(ScanName(name), try Fixtures.png(TestImages.page(seed: UInt64(300 + i)))) }
            try root.stage(ScanName("poison.png"), try Fixtures.png(TestImages.page(seed: 399)))
            // In the inbox before digitd starts: the poison shares its batch with good scans.
            for name in good.prefix(5) + ["poison.png"] + good.dropFirst(5) { try root.moveIn(ScanName(name)) }

            let (daemon, signals) = try Self.restartingUntil(root, environment: Self.fault(on: "poison", fault)) {
                try root.finishedCount() == good.count + 1 && root.names(root.layout.processing).isEmpty
            }
            // Once in a batch, once on its retry alone; the third start quarantines it.
            #expect(signals.count == 2, "deaths: \(signals)")
            #expect(signals.allSatisfy { fault == "abort" ? $0 == SIGABRT : [SIGILL, SIGTRAP].contains($0) }, "signals \(signals)")
            try daemon.waitReady(socket: root.layout.socket, timeout: 30)

            let rows = try root.rowsByFile()
            let poison = try #require(rows["poison.png"])
            #expect(poison.count == 1)
            #expect(poison.first?["status"] == "error")
            #expect(poison.first?["reason"] == ScanPipeline.quarantineReason)
            #expect(poison.first?["stored_as"] == "failed/poison.png")
            #expect(poison.first?["sha256"]?.count == 64, "the quarantined file is still identified by its content")
            let reason = try RawFile.read(folder: root.layout.failed, name: ScanName("poison.png.reason"))
            #expect(String(decoding: reason, as: UTF8.self) == ScanPipeline.quarantineReason + "\n")
            // Every other scan: one row, not an error, in done/; nothing quarantined beside the poison.
            for name in good {
                #expect(rows[name]?.count == 1, "\(name): \(rows[name]?.count ?? 0) rows")
                #expect(rows[name]?.first?["status"] != "error", "\(name): \(rows[name]?.first ?? [:])")
            }
            #expect(Set(try root.names(root.layout.done).map(\.description)) == Set(good))
            #expect(Set(try root.names(root.layout.failed).map(\.description)) == ["poison.png", "poison.png.reason"])
            #expect(try root.names(root.layout.processing).isEmpty, "retry records left behind")

            // Never taken again: another start leaves it where it is.
            DaemonEndToEndTests.stop(daemon, root)
            let again = try root.startReady(environment: Self.fault(on: "poison", fault))
            try root.drop("after.png", try Fixtures.png(TestImages.page(seed: 400)))
            try DaemonEndToEndTests.waitFinished(root, again, count: good.count + 2)
            #expect(try root.rowsByFile()["poison.png"]?.count == 1)
            DaemonEndToEndTests.stop(again, root)
        }

        /// The watchdog means progress: WATCHDOG=1 comes as files are done, so a
        /// file that hangs a worker stops the pings, and systemd (played by the
        /// test: no ping for WatchdogSec, then SIGABRT and a restart) kills
        /// digitd; after the second such death the file is quarantined.
        @Test func aScanThatHangsStopsTheWatchdogAndIsQuarantined() throws {
            try #require(FaultInjection.isCompiledIn, "the fault switch is compiled in by `make test` only (-DDIGITD_FAULT_INJECTION)")
            let root = try DaemonRoot("poison-hang", .init(batchMaxSize: 4))
            let good = (0..<12).map { "scan-\($0).png" }
            for (i, name) in good.enumerated() { try root.stage(ScanName(name), try Fixtures.png(TestImages.page(seed: UInt64(600 + i)))) }
            try root.stage(ScanName("stuck.png"), try Fixtures.png(TestImages.page(seed: 699)))
            for name in good.prefix(2) + ["stuck.png"] + good.dropFirst(2) { try root.moveIn(ScanName(name)) }
            let notify = try NotifySocket(path: root.path + "/notify.sock")
            defer { notify.close() }
            let watchdogSeconds = 3.0
            let environment = Self.fault(on: "stuck", "hang", ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": String(Int(watchdogSeconds * 1e6))])

            var kills = 0
            var daemon = try root.start(environment: environment)
            var started = Date()
            try Harness.waitUntil("the inbox to be finished", timeout: 120, describe: root.describe) {
                guard daemon.isRunning else { throw DigitdError("digitd exited on its own. \(root.describe())") }
                let last = max(notify.lastWatchdog ?? started, started)
                if Date().timeIntervalSince(last) > watchdogSeconds {
                    kills += 1
                    guard kills <= 3 else { throw DigitdError("killed \(kills) times: a restart loop. \(root.describe())") }
                    daemon.signal(SIGABRT)
                    daemon.wait(timeout: 30)
                    daemon = try root.start(environment: environment)
                    started = Date()
                }
                return try root.finishedCount() == good.count + 1 && root.names(root.layout.processing).isEmpty
            }
            #expect(kills == 2, "watchdog kills: \(kills)")
            let rows = try root.rowsByFile()
            #expect(rows["stuck.png"]?.first?["reason"] == ScanPipeline.quarantineReason, "\(rows["stuck.png"] ?? [])")
            for name in good { #expect(rows[name]?.count == 1 && rows[name]?.first?["status"] != "error", "\(name)") }
            // Idle, it keeps pinging: a quiet inbox is not a hang.
            let quiet = Date()
            Harness.sleep(milliseconds: Int(watchdogSeconds * 1500))
            #expect((notify.lastWatchdog ?? .distantPast) > quiet.addingTimeInterval(watchdogSeconds / 2))
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// A label image that kills digitd while a fine-tune decodes it is
        /// quarantined: the next start names it in `status`, and the next
        /// fine-tune skips it and says so, instead of dying on it again.
        @Test func aLabelImageThatKillsTheFineTuneIsSkipped() throws {
            try #require(FaultInjection.isCompiledIn, "the fault switch is compiled in by `make test` only (-DDIGITD_FAULT_INJECTION)")
            let root = try DaemonRoot("poison-label")
            for i in 0..<6 {
                // Sizes differ, so no two share a content hash (one image, one correction).
                try RawFile.write(try Fixtures.png(TestImages.page(width: 40 + i, seed: UInt64(500 + i))), folder: root.layout.labels + "/\(i % 3)",
                                     name: ScanName("hand-\(i).png"))
            }
            try RawFile.write(try Fixtures.png(TestImages.page(seed: 506)), folder: root.layout.labels + "/3", name: ScanName("poison-label.png"))
            let fault = Self.fault(on: "poison-label", "abort")

            let first = try root.startReady(environment: fault)
            _ = try ControlClient(socket: root.layout.socket).requestFineTune()
            #expect(first.wait(timeout: 60) != nil, "digitd did not die decoding the poisoned label")

            let daemon = try root.startReady(environment: fault)
            let client = ControlClient(socket: root.layout.socket)
            let skipped = LabelQuarantine.Entry.skipped("labels/3/poison-label.png")
            let problems = try client.status().problems
            #expect(problems.contains(skipped), "\(problems)")
            let queued = try client.requestFineTune()
            var report = queued
            try Harness.waitUntil("the fine-tune's verdict", timeout: 120, describe: root.describe) {
                report = try client.fineTuneReport()
                return report.run >= queued.run && report.isFinished
            }
            #expect(daemon.isRunning)
            #expect(report.problems.contains(skipped), "\(report.problems)")
            #expect(report.corrections == 6, "\(report.corrections) corrections; problems: \(report.problems)")
            #expect(!FileManager.default.fileExists(atPath: root.layout.models + "/label-decoding"))
            DaemonEndToEndTests.stop(daemon, root)
        }
    }
}
