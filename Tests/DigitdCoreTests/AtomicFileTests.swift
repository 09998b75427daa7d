import Foundation
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

/// Whole-file replacement (System/AtomicFile) and model files saved through it.
@Suite struct AtomicFileTests {
    @Test func savedModelsReplaceWholeAndLeaveNoTemporaryFile() throws {
        let directory = TempFolder.unique("atomicfile")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/seed.digitd-model"
        try ModelFile.save(Model.initial(seed: 3), to: path)
        #expect(try ModelFile.load(path) == Model.initial(seed: 3))
        try ModelFile.save(Model.initial(seed: 4), to: path)
        #expect(try ModelFile.load(path) == Model.initial(seed: 4))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["seed.digitd-model"])
    }

    @Test func aFailedReplacementNamesThePathAndLeavesNothingBehind() throws {
        let directory = TempFolder.unique("atomicfile")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A non-empty directory where the file should go: rename(2) refuses, even for root.
        let path = directory + "/state.json"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        do {
            try AtomicFile.write(Array("new".utf8), to: path)
            Issue.record("replacing a non-empty directory succeeded")
        } catch {
            #expect("\(error)".hasPrefix("write \(path): "))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["inside"])
        #expect(throws: SystemError.self) { try AtomicFile.write([1], to: directory + "/missing/state.json") }
    }
}
