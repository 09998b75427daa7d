import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
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
}
