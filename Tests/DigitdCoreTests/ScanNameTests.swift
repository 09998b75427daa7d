import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

/// Names as the filesystem has them: what is ignored, how collisions are
/// numbered, and that a claim in processing/ always gives back the inbox name.
@Suite struct ScanNameTests {
    static let ignored = [".hidden.png", ".", "..", ".tmp", "a.tmp", "A.TMP", "scan.png.tmp", "x.part", "scan.PNG.Part",
                          "scan.png~", "~", ""]
    static let taken = ["a.png", "tmp", "part", "scan.tmp.png", "a~.png", "~a.png", "a.partial", "x.tmpx", "a.png.", "a b.jpg"]

    @Test(arguments: ignored) func isIgnored(_ name: String) {
        #expect(ScanName(name).isIgnored)
    }

    @Test(arguments: taken) func isTaken(_ name: String) {
        #expect(!ScanName(name).isIgnored)
    }

    @Test func nonUTF8Names() {
        #expect(ScanName(bytes: [0xE9, 0xFF] + Array(".tmp".utf8)).isIgnored)
        #expect(ScanName(bytes: [0xE9, 0xFF] + Array(".png~".utf8)).isIgnored)
        #expect(!ScanName(bytes: [0xE9, 0xFF] + Array(".png".utf8)).isIgnored)
        #expect(ScanName(bytes: [UInt8(ascii: "."), 0xE9]).isIgnored)
    }

    @Test func numbered() {
        #expect(ScanName("a.png").numbered(2) == ScanName("a~2.png"))
        #expect(ScanName("noext").numbered(3) == ScanName("noext~3"))
        #expect(ScanName(".hidden").numbered(2) == ScanName(".hidden~2"))
        #expect(ScanName("archive.tar.gz").numbered(10) == ScanName("archive.tar~10.gz"))
        #expect(ScanName("with space, comma.png").numbered(2) == ScanName("with space, comma~2.png"))
        // Raw bytes survive.
        #expect(ScanName(bytes: [0xE9, 0x2E, 0x70]).numbered(2) == ScanName(bytes: [0xE9, 0x7E, 0x32, 0x2E, 0x70]))
        // A numbered name is never ignored when the original is not.
        for name in Self.taken { #expect(!ScanName(name).numbered(2).isIgnored, "\(name)") }
    }

    /// NAME_MAX is 255 bytes: a numbered long name is cut, keeps its
    /// extension and its number, and stays distinct from the others.
    @Test func numberedLongNames() {
        let long = ScanName(String(repeating: "x", count: 251) + ".png")
        #expect(long.bytes.count == 255)
        var seen = Set<ScanName>([long])
        for n in [2, 3, 10, 999, 100_000] {
            let numbered = long.numbered(n)
            #expect(numbered.bytes.count <= 255)
            #expect(numbered.description.hasSuffix("~\(n).png"))
            #expect(seen.insert(numbered).inserted)
        }
    }

    /// An "extension" so long that no stem byte fits beside it: the name must
    /// still come out within NAME_MAX (the rename into done/ fails otherwise).
    @Test(arguments: [250, 252, 253, 254]) func numberedLongExtension(_ extensionLength: Int) {
        let name = ScanName("a." + String(repeating: "e", count: extensionLength - 1))
        #expect(name.bytes.count <= 255)
        for n in [2, 10, 100_000] {
            let numbered = name.numbered(n)
            #expect(numbered.bytes.count <= 255, "\(numbered.bytes.count) bytes")
            #expect(numbered.description.contains("~\(n)"))
            #expect(numbered != name)
        }
    }
}
