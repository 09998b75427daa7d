import Crypto
import Foundation
import Imaging
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

/// relabel (DESIGN §7), the labels/ folder as an interface, the model
/// registry, the replay reservoir and the fine-tune's split, in process.
@Suite struct CorrectionTests {
    /// A root with classified originals in done/ and their rows in the CSV.
    final class Classified {
        let root: TempRoot
        let results: ResultsLog
        let index: ResultsIndex
        let store: CorrectionStore
        var path: String { root.path }
        var layout: RuntimeLayout { root.layout }

        init(_ label: String) throws {
            root = try TempRoot("labels-" + label)
            results = ResultsLog(folder: root.layout.results)
            index = try ResultsIndex(path: root.layout.index, results: root.layout.results)
            store = CorrectionStore(layout: root.layout)
        }

        /// Puts `done/stored` and a row saying `file` was classified as `digit`.
        @discardableResult
        func classify(_ file: String, stored: String? = nil, digit: Int = 1, seed: UInt64) throws -> [UInt8] {
            let bytes = try Fixtures.png(TestImages.page(seed: seed))
            try RawFile.write(bytes, folder: layout.done, name: ScanName(stored ?? file))
            try results.append([ResultRow(
                file: file, sha256: SHA256.hash(data: bytes).hexString, status: .ok, digit: digit, confidence: 0.8,
                model: "seedcnn@0000", processedAt: Date(), secondDigit: 2, secondConfidence: 0.1, reason: "",
                storedAs: "done/\(stored ?? file)", claim: "c\(seed)")])
            return bytes
        }

        /// `digit` nil: not a digit.
        func relabel(_ image: String, _ digit: Int?) throws -> RelabelResult {
            try store.relabel(RelabelRequest(image: image, label: digit), by: .current(), index: index)
        }

        func exists(_ relative: String) -> Bool { root.exists(relative) }
    }

    @Test func relabelStoresACopyAndRelabelingReplacesIt() throws {
        let root = try Classified("replace")
        let bytes = try root.classify("a.png", digit: 1, seed: 1)
        let first = try root.relabel("a.png", 7)
        #expect(first.record.storedAs == "labels/7/a.png")
        #expect(first.record.previousDigit == 1 && first.record.previousConfidence == 0.8 && first.record.model == "seedcnn@0000")
        #expect(first.replacedDigit == nil)
        #expect(try RawFile.read(folder: root.layout.labels + "/7", name: ScanName("a.png")) == bytes)

        let second = try root.relabel("a.png", 3)
        #expect(second.replacedDigit == 7)
        #expect(!root.exists("labels/7/a.png") && root.exists("labels/3/a.png"))
        let (corrections, problems) = root.store.corrections(decoder: ImageDecoder())
        #expect(problems.isEmpty)
        #expect(corrections.map(\.digit) == [3], "one image, one label: the latest")
    }

    /// "Not a digit" is a label of its own kind, kept in labels/not-a-digit/, replaced and undone
    /// like a digit; fine-tunes get it as a correction with no digit.
    @Test func notADigitIsALabelOfItsOwn() throws {
        let root = try Classified("not-a-digit")
        try root.classify("m.png", digit: 8, seed: 11)
        let marked = try root.relabel("m.png", nil)
        #expect(marked.record.storedAs == "labels/not-a-digit/m.png" && marked.record.digit == nil && marked.record.label == "not a digit")
        #expect(root.exists("labels/not-a-digit/m.png"))
        #expect(root.store.corrections(decoder: ImageDecoder()).corrections.map(\.digit) == [nil])
        let digit = try root.relabel("m.png", 3)
        #expect(digit.replacedNotADigit == true && digit.replacedDigit == nil)
        #expect(!root.exists("labels/not-a-digit/m.png") && root.exists("labels/3/m.png"))
        _ = try root.relabel("m.png", nil)
        #expect(try root.store.unlabel(sha256: marked.record.sha256)?.digit == nil)
        #expect(!root.exists("labels/not-a-digit/m.png") && root.store.labelled().isEmpty)
    }

    /// A record names its caller by uid and user name; one written before
    /// byUID existed (by: the client's $USER) is still read, and still says
    /// which copy a relabel replaces.
    @Test func recordsNameTheCallerAndOldRecordsStillRead() throws {
        let root = try Classified("record")
        try root.classify("r.png", digit: 1, seed: 5)
        let first = try root.relabel("r.png", 7)
        #expect(first.record.byUID == getuid() && first.record.by == ControlCaller.userName(getuid()))
        let path = root.store.recordPath(first.record.sha256)
        var old = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        old["byUID"] = nil
        old["by"] = "alice"
        try JSONSerialization.data(withJSONObject: old).write(to: URL(fileURLWithPath: path))
        let read = try #require(root.store.readRecord(first.record.sha256))
        #expect(read.byUID == nil && read.by == "alice" && read.storedAs == "labels/7/r.png")
        let second = try root.relabel("r.png", 2)
        #expect(second.replacedDigit == 7 && !root.exists("labels/7/r.png"))
    }

    @Test func relabelByPathInDone() throws {
        let root = try Classified("path")
        try root.classify("b.png", stored: "b~2.png", digit: 4, seed: 2)
        let result = try root.relabel(root.layout.done + "/b~2.png", 9)
        #expect(result.record.storedAs == "labels/9/b~2.png")
        #expect(result.record.previousDigit == 4)
    }

    @Test func clearErrors() throws {
        let root = try Classified("errors")
        try root.classify("twice.png", seed: 3)
        try root.classify("twice.png", stored: "twice~2.png", seed: 4)
        try root.classify("gone.png", seed: 5)
        unlink(root.layout.done + "/gone.png")
        func message(_ image: String, _ digit: Int = 5) -> String {
            do {
                _ = try root.relabel(image, digit)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(message("twice.png", 12).contains("digit must be 0-9"))
        #expect(message("nobody.png").contains("unknown image nobody.png"))
        let ambiguous = message("twice.png")
        #expect(ambiguous.contains("ambiguous") && ambiguous.contains("done/twice.png") && ambiguous.contains("done/twice~2.png"))
        #expect(message("gone.png").contains("vanished"))
    }

    /// Names are never paths: nothing outside done/ is read through relabel,
    /// nothing outside labels/ written.
    @Test func nothingOutsideTheRootIsReadOrWritten() throws {
        let root = try Classified("escape")
        try root.classify("ok.png", seed: 6)
        symlink("/etc/passwd", root.layout.done + "/link.png")
        // A row whose stored_as tries to climb out (a tampered CSV).
        try root.results.append([ResultRow(
            file: "evil.png", sha256: "00", status: .ok, digit: 1, confidence: 0.9, model: "m", processedAt: Date(),
            secondDigit: nil, secondConfidence: nil, reason: "", storedAs: "done/../../../etc/passwd", claim: "evil")])
        for image in ["../../etc/passwd", "/etc/passwd", root.layout.done + "/../../../etc/passwd", root.layout.done + "/link.png", "evil.png",
                      root.layout.root + "/results/" + ResultsLog.fileName(for: Date())] {
            #expect(throws: (any Error).self, "\(image)") { try root.relabel(image, 1) }
        }
        let stored = (0...9).flatMap { (try? FileManager.default.contentsOfDirectory(atPath: "\(root.layout.labels)/\($0)")) ?? [] }
        #expect(stored.isEmpty)
    }

    /// Files copied into labels/D/ by hand are corrections; undecodable ones are reported.
    @Test func handCopiedLabels() throws {
        let root = try Classified("hand")
        try RawFile.write(try Fixtures.png(TestImages.page(seed: 9)), folder: root.layout.labels + "/4", name: ScanName("mine.png"))
        try RawFile.write(Array("not an image".utf8), folder: root.layout.labels + "/2", name: ScanName("junk.png"))
        try RawFile.write(try Fixtures.png(TestImages.blankPage()), folder: root.layout.labels + "/6", name: ScanName("empty.png"))
        try RawFile.write([1, 2, 3], folder: root.layout.labels + "/5", name: ScanName(".hidden"))
        let (corrections, problems) = root.store.corrections(decoder: ImageDecoder())
        #expect(corrections.map(\.digit) == [4])
        #expect(corrections.first?.pixels.count == 784)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("labels/2/junk.png: not a PNG or JPEG") })
        #expect(problems.contains { $0.hasPrefix("labels/6/empty.png: blank") })
    }

    @Test func bulkListParsing() throws {
        let root = try Classified("bulk")
        let list = root.path + "/fix.csv"
        try Data("file,digit\r\n\"a,b.png\",3\r\nc.png, 4\r\n".utf8).write(to: URL(fileURLWithPath: list))
        let rows = try RelabelList.read(list)
        #expect(rows.map(\.image) == ["a,b.png", "c.png"] && rows.map(\.label) == [3, 4])
        try Data("a.png,x\nb.png,7\n".utf8).write(to: URL(fileURLWithPath: list))
        #expect(try RelabelList.read(list).map(\.label) == [nil, 7], "x: not a digit")
        try Data("a.png,3\nb.png,y\n".utf8).write(to: URL(fileURLWithPath: list))
        #expect(throws: DigitdError.self) { try RelabelList.read(list) }
        // A first row with a wrong digit is an error, not a header.
        try Data("a.png,10\n".utf8).write(to: URL(fileURLWithPath: list))
        #expect(throws: DigitdError.self) { try RelabelList.read(list) }
    }

    @Test func registryPromotesPrunesAndRollsBack() throws {
        let root = try Classified("registry")
        let registry = ModelRegistry(folder: root.layout.models, keep: 2)
        func record(_ state: ModelVersion.State) -> ModelVersion {
            ModelVersion(version: "", state: state, parent: "p", createdAt: Date(), corrections: 1, heldOut: 1, replay: 0, general: "g",
                         before: GateFigures(heldOut: 0, general: 1), after: GateFigures(heldOut: 1, general: 1), seconds: 0,
                         reason: state == .rejected ? "no" : nil, fileKept: true)
        }
        let model = Model.initial(seed: 1)
        #expect(try registry.currentPath() == nil)
        for state in [ModelVersion.State.promoted, .promoted, .rejected, .promoted] { try registry.add(model, record(state)) }
        let contents = try registry.read()
        #expect(contents.versions.map(\.version) == ["v1", "v2", "v3", "v4"])
        #expect(contents.current == "v4")
        #expect(contents.versions.map(\.fileKept) == [false, false, true, true])
        #expect(!FileManager.default.fileExists(atPath: registry.path(of: "v1")))
        #expect(try registry.currentPath() == registry.path(of: "v4"))
        #expect(throws: DigitdError.self) { try registry.rollback(to: "v3") }  // rejected
        #expect(throws: DigitdError.self) { try registry.rollback(to: "v1") }  // pruned
        #expect(throws: DigitdError.self) { try registry.rollback(to: "v9") }
        #expect(try registry.rollback(to: nil) == nil, "v2 and v1 are pruned: the base model is next")
        #expect(try registry.read().current == nil)
        #expect(throws: DigitdError.self) { try registry.rollback(to: nil) }
        #expect(try registry.rollback(to: "v4") == "v4")
        #expect(try registry.rollback(to: "base") == nil)
    }

    @Test func reservoirKeepsAUniformBoundedSampleAcrossRestarts() throws {
        let root = try Classified("replay")
        let reservoir = ReplayReservoir(capacity: 100, seed: 1)
        for i in 0..<1000 {
            reservoir.offer([Float](repeating: Float(i % 256) / 255, count: 784), digit: i % 10, confidence: i % 2 == 0 ? 0.999 : 0.5)
        }
        #expect(reservoir.count == 100)
        let sample = reservoir.snapshot()
        #expect(Set(sample.labels).isSubset(of: [0, 2, 4, 6, 8]), "unconfident inputs are not kept")
        try reservoir.save(to: root.layout.replay)
        let again = ReplayReservoir(capacity: 100)
        try again.load(from: root.layout.replay)
        #expect(again.snapshot().pixels == sample.pixels && again.snapshot().labels == sample.labels)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root.layout.replay)))
        bytes.removeLast(10)
        try Data(bytes).write(to: URL(fileURLWithPath: root.layout.replay))
        #expect(throws: DigitdError.self) { try ReplayReservoir(capacity: 100).load(from: root.layout.replay) }
    }

    @Test func heldOutSplitIsStratifiedAndRotates() {
        let corrections = (0..<100).map { i in
            Correction(sha256: String(format: "%064x", i * 7919), digit: i % 5, pixels: [UInt8](repeating: 0, count: 784), name: "\(i)")
        }
        let tuner = FineTuner(settings: FineTuneSettings())
        let (training, heldOut) = tuner.split(corrections, run: 1)
        #expect(training.count == 80 && heldOut.count == 20)
        for digit in 0..<5 { #expect(heldOut.count { $0.digit == digit } == 4) }
        #expect(Set(training.map(\.sha256)).isDisjoint(with: heldOut.map(\.sha256)))
        #expect(Set(tuner.split(corrections, run: 2).heldOut.map(\.sha256)) != Set(heldOut.map(\.sha256)))
        let two = Array(corrections.prefix(2))
        #expect(tuner.split(two, run: 1).heldOut.count == 1)
        // Marks that are not digits are held out alike, and two of them are enough to run.
        let marks = (0..<10).map { i in Correction(sha256: String(format: "%064x", 1000 + i), digit: nil, pixels: [UInt8](repeating: 0, count: 784), name: "x\(i)") }
        #expect(tuner.split(corrections + marks, run: 1).heldOut.count { $0.digit == nil } == 2)
        #expect(tuner.split(Array(marks.prefix(2)), run: 1).heldOut.count == 1)
    }
}
