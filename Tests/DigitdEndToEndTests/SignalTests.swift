import Foundation
import Testing
import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// Stages `count` small scans (a few dozen distinct images under unique names).
    static func stageMany(_ root: DaemonRoot, _ prefix: String, count: Int) throws -> [(name: String, bytes: [UInt8])] {
        let images = try (0..<32).map { try Fixtures.png(TestImages.page(width: 32, height: 32, seed: 500 + UInt64($0))) }
        var inputs: [(name: String, bytes: [UInt8])] = []
        for i in 0..<count {
            let name = "\(prefix)-\(i).png"
            inputs.append((name, images[i % images.count]))
            try root.stage(ScanName(name), images[i % images.count])
        }
        return inputs
    }

    /// One row per input, each `ok`, each original in done/; nothing left behind.
    static func expectAllDone(_ root: DaemonRoot, _ inputs: [(name: String, bytes: [UInt8])]) throws {
        let rows = try root.rowsByFile()
        #expect(try root.rows().count == inputs.count)
        var missing: [String] = [], repeated: [String] = [], notOK: [String] = []
        for input in inputs {
            switch rows[input.name]?.count ?? 0 {
            case 0: missing.append(input.name)
            case 1: if rows[input.name]?.first?["status"] != "ok" { notOK.append(input.name) }
            default: repeated.append(input.name)
            }
        }
        #expect(missing.isEmpty, "\(missing.count) inputs without a row, e.g. \(missing.prefix(5))")
        #expect(repeated.isEmpty, "\(repeated.count) inputs with several rows, e.g. \(repeated.prefix(5))")
        #expect(notOK.isEmpty, "\(notOK.count) inputs not ok, e.g. \(notOK.prefix(5))")
        #expect(Set(try root.names(root.layout.done).map(\.description)) == Set(inputs.map(\.name)))
        #expect(try root.names(root.layout.inbox).isEmpty)
        #expect(try root.names(root.layout.processing).isEmpty)
        #expect(try root.names(root.layout.failed).isEmpty)
    }

    @Suite struct Signals {
        /// SIGTERM mid-burst: the batch in flight is finished (nothing left in
        /// processing/, every finished file has its row), exit 0; a restart
        /// takes the rest, one row each.
        @Test func sigtermDrainsThenRestartFinishes() throws {
            let root = try DaemonRoot("sigterm", .init(batchMaxSize: 32, batchMaxDelayMs: 5))
            let inputs = try DaemonEndToEndTests.stageMany(root, "term", count: 800)
            var daemon = try root.startReady()
            for input in inputs { try root.moveIn(ScanName(input.name)) }
            try Harness.waitUntil("some files processed", timeout: 60, describe: root.describe) {
                try root.finishedCount() >= 40
            }
            let (exited, code) = daemon.terminate(timeout: 20)
            #expect(exited, "still running 20 s after SIGTERM")
            #expect(code == 0, "wait status \(daemon.exitStatus ?? -1)")

            #expect(try root.names(root.layout.processing).isEmpty, "SIGTERM left claims in processing/")
            let finished = try root.finishedCount()
            let rows = try root.rowsByFile()
            #expect(try root.rows().count == finished)
            for name in try root.names(root.layout.done) { #expect(rows[name.description]?.count == 1, "\(name)") }
            #expect(finished + (try root.names(root.layout.inbox).count) == inputs.count)
            print("sigtermDrainsThenRestartFinishes: \(finished) of \(inputs.count) finished before SIGTERM")

            daemon = try root.startReady()
            try DaemonEndToEndTests.waitFinished(root, daemon, count: inputs.count)
            DaemonEndToEndTests.stop(daemon, root)
            try DaemonEndToEndTests.expectAllDone(root, inputs)
        }

        /// SIGHUP re-reads the config: the new batch size is used from the next
        /// batch on, a broken config is refused and the old one kept, and the
        /// daemon keeps running throughout.
        @Test func sighupReloadsTheConfig() throws {
            let root = try DaemonRoot("sighup", .init(batchMaxSize: 64, batchMaxDelayMs: 300))
            let daemon = try root.startReady()

            root.settings.batchMaxSize = 1
            try root.writeConfig()
            daemon.signal(SIGHUP)
            try Harness.waitUntil("\"configuration reloaded\" in the log", timeout: 20, describe: { daemon.tail }) {
                root.log.contains("configuration reloaded")
            }
            #expect(daemon.isRunning)
            let before = try daemon.status(socket: root.layout.socket)
            #expect(before.ready)

            let inputs = try DaemonEndToEndTests.stageMany(root, "hup", count: 40)
            for input in inputs { try root.moveIn(ScanName(input.name)) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: inputs.count)
            let after = try daemon.status(socket: root.layout.socket)
            #expect(after.processed - before.processed == inputs.count)
            // Every batch since the reload had one file (max_size 1).
            var grown = after.batchSizes
            for (bucket, n) in before.batchSizes { grown[bucket, default: 0] -= n }
            #expect(grown.filter { $0.value != 0 } == ["1": inputs.count], "batches since the reload: \(grown)")

            // A config that does not parse: refused, the running one kept.
            try Data("[batch]\nmax_size = \"many\"\n".utf8).write(to: URL(fileURLWithPath: root.configPath))
            daemon.signal(SIGHUP)
            try Harness.waitUntil("the refused reload in the log", timeout: 20, describe: { daemon.tail }) {
                root.log.contains("reload failed")
            }
            #expect(daemon.isRunning)
            try root.drop("after-bad-reload.png", inputs[0].bytes)
            try DaemonEndToEndTests.waitFinished(root, daemon, count: inputs.count + 1)
            #expect(try daemon.status(socket: root.layout.socket).ready)
            DaemonEndToEndTests.stop(daemon, root)
        }
    }

    @Suite struct Burst {
        /// 10,000 files dropped at once (the issue's burst; more than the pending queue
        /// holds, so the refused-then-rescanned path runs): all processed, one
        /// row each. DIGITD_BURST_FILES overrides the count.
        @Test func burstOfThousands() throws {
            let count = ProcessInfo.processInfo.environment["DIGITD_BURST_FILES"].flatMap(Int.init) ?? 10_000
            let root = try DaemonRoot("burst", .init(batchMaxSize: 64, batchMaxDelayMs: 5, quietPeriodMs: 300, rescanIntervalS: 1))
            let inputs = try DaemonEndToEndTests.stageMany(root, "burst", count: count)
            let daemon = try root.startReady()
            let start = Date()
            for input in inputs { try root.moveIn(ScanName(input.name)) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: count, timeout: 180)
            let seconds = Date().timeIntervalSince(start)
            let status = try daemon.status(socket: root.layout.socket)
            #expect(status.processed == count)
            #expect(status.ok == count)
            #expect(status.queueDepth == 0)
            DaemonEndToEndTests.stop(daemon, root)
            try DaemonEndToEndTests.expectAllDone(root, inputs)
            print("burstOfThousands: \(count) files in \(String(format: "%.1f", seconds)) s (\(Int(Double(count) / seconds)) files/s), batches \(status.batchSizes)")
        }
    }
}
