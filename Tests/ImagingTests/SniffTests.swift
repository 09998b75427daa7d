import Foundation
@testable import Imaging
import TestSupport
import Testing

/// Sniffing is by magic bytes, never by file name.
@Suite struct SniffTests {
    static let dir = TempFolder.unique("sniff")

    @Test func formatByContentNotName() throws {
        let image = GrayImage(width: 8, height: 8, fill: 90)
        let png = try Fixtures.png(image), jpeg = try Fixtures.jpeg(image)
        for (name, bytes, format) in [("scan.jpg", png, ImageFormat.png), ("scan.png", jpeg, .jpeg),
                                      ("scan", png, .png), ("scan.txt", jpeg, .jpeg), ("SCAN.PDF", png, .png)] {
            let path = Self.dir + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let decoded = try ImageDecoder().decode(contentsOf: path)
            #expect(decoded.format == format, "\(name)")
            #expect(abs(Int(decoded.image[3, 3]) - 90) <= 1)
        }
    }

    @Test func sniffPrefixes() {
        #expect(ImageFormat.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.sniff([0x89, 0x50]) == .png)        // a cut signature is still the format
        #expect(ImageFormat.sniff([0xFF]) == .jpeg)
        #expect(ImageFormat.sniff([]) == nil)
        #expect(ImageFormat.sniff([0x89, 0x51]) == nil)
        #expect(ImageFormat.sniff([0xFF, 0xD8, 0x00]) == nil)
        #expect(ImageFormat.sniff(Array("%PDF-1.7".utf8)) == nil)
        #expect(ImageFormat.sniff(Array("GIF89a".utf8)) == nil)
    }
}
