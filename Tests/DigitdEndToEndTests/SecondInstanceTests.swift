import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// One daemon per root: a second digitd on the same root, even with a
    /// control socket of its own, exits 1 at once naming the running one, and
    /// changes nothing.
    @Suite struct SecondInstance {
        @Test func aSecondDigitdOnTheSameRootExitsAtOnce() throws {
            let root = try DaemonRoot("second")
            let first = try root.startReady()
            // Stopped, so that whatever changes in the root now is the second one's doing.
            first.signal(SIGSTOP)
            defer { first.signal(SIGCONT) }
            try root.drop("waiting.png", try Fixtures.png(TestImages.page(seed: 700)))
            let leftover = ScanName("0000000000000001-left.png")
            try RawFile.write(try Fixtures.png(TestImages.page(seed: 701)), folder: root.layout.processing, name: leftover)
            let before = try Self.picture(root)

            let otherSocket = root.path + "/other.sock"
            let config = root.path + "/second.toml"
            try (try String(contentsOfFile: root.configPath, encoding: .utf8) + "\n[paths]\nsocket = \"\(otherSocket)\"\n")
                .write(toFile: config, atomically: true, encoding: .utf8)
            let secondLog = root.path + "/second.log"
            let second = try DaemonProcess(executable: Harness.digitd(), arguments: ["--config", config], logPath: secondLog)
            let status = try #require(second.wait(timeout: 20), "the second digitd is still running")
            #expect(DaemonProcess.exitCode(status) == 1)
            let lines = try String(contentsOfFile: secondLog, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?.contains("another digitd (pid \(first.pid)) is already running") == true, "\(lines)")
            #expect(!FileManager.default.fileExists(atPath: otherSocket))
            #expect(try Self.picture(root) == before)

            // The running one carries on (the planted claim is only ever recovered at a start).
            first.signal(SIGCONT)
            try Harness.waitUntil("waiting.png's row", timeout: 30, describe: root.describe) {
                try root.rowsByFile()["waiting.png"] != nil
            }
            DaemonEndToEndTests.stop(first, root)
        }

        /// Every name in the folders digitd moves files between.
        static func picture(_ root: DaemonRoot) throws -> [String: Set<String>] {
            let layout = root.layout
            var picture: [String: Set<String>] = [:]
            for folder in [layout.inbox, layout.processing, layout.done, layout.failed, layout.results, layout.models] {
                picture[folder] = Set(try root.names(folder).map(\.description))
            }
            return picture
        }
    }
}
