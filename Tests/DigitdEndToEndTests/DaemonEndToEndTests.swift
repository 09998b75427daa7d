import Crypto
import Foundation
import Testing
@testable import TestSupport
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
                throw DigitdError("digitd exited (status \(daemon.exitStatus ?? -1)). \(root.describe())")
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
}
