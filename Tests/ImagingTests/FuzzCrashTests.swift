import Foundation
import Imaging
import TestSupport
import Testing

/// Every input the fuzzer found (Fuzz/corpus/crashes: traps, runaway memory, slow
/// units) goes through decode → normalize as digitd's PreparedScan does, and ends as
/// a clean error or a normalized scan. A trap would end the test process instead.
@Suite struct FuzzCrashTests {
    static let folder = Repository.root.appendingPathComponent("Fuzz/corpus/crashes")
    static let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()

    @Test func theCrashesAreThere() {
        #expect(!Self.names.isEmpty, "nothing in \(Self.folder.path)")
    }

    @Test(arguments: names) func endsCleanly(_ name: String) throws {
        let decoder = ImageDecoder(), normalizer = ScanNormalizer()
        let bytes = try decoder.readFile(Self.folder.appendingPathComponent(name).path)
        let budget = WorkBudget(seconds: decoder.limits.workBudgetSeconds)
        let image: GrayImage
        do { image = try decoder.decode(bytes, budget: budget).image } catch {
            BadInputTests.expectOneLine(error)
            return
        }
        do {
            let scan = try normalizer.normalize(image, budget: budget)
            NormalizedScanInvariants.expectHeld(by: scan, from: image, normalizer: normalizer, name)
        } catch .overBudget {
            // The one way a normalization may end early; the other errors mean a bug.
        } catch {
            Issue.record("\(name): \(error)")
        }
    }
}
