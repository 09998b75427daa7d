import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
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
