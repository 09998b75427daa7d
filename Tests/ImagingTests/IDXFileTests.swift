import CZlib
import Foundation
import Imaging
import TestSupport
import Testing

struct IDXFileTests {
    let folder = TempFolder.unique("idx")

    func header(magic: UInt32, sizes: [UInt32]) -> [UInt8] {
        ([magic] + sizes).flatMap { v in [24, 16, 8, 0].map { UInt8((v >> UInt32($0)) & 0xFF) } }
    }

    func write(_ name: String, _ bytes: [UInt8], gzip: Bool) -> String {
        let path = folder + "/" + name
        if gzip {
            let file = gzopen(path, "wb")!
            _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            gzclose(file)
        } else {
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
        }
        return path
    }

    @Test(arguments: [false, true])
    func readsImagesAndLabels(gzip: Bool) throws {
        let pixels = (0..<(3 * 2 * 4)).map { UInt8($0 * 7) }
        let images = write("images", header(magic: 2051, sizes: [3, 2, 4]) + pixels, gzip: gzip)
        let labels = write("labels", header(magic: 2049, sizes: [3]) + [7, 0, 9], gzip: gzip)
        let read = try IDXFile.readImages(images)
        #expect(read.count == 3 && read.rows == 2 && read.columns == 4)
        #expect(read.images == pixels)
        #expect(try IDXFile.readLabels(labels) == [7, 0, 9])
    }

    /// What the anchor set is stored with: written, plain or gzip'd, and read back the same.
    @Test(arguments: ["plain.idx", "packed.idx.gz"])
    func writesWhatItReads(name: String) throws {
        let pixels = (0..<(5 * 3 * 2)).map { UInt8(($0 * 37) % 256) }
        try IDXFile.writeImages(pixels, count: 5, rows: 3, columns: 2, to: "\(folder)/images-\(name)")
        try IDXFile.writeLabels([1, 2, 3, 4, 5], to: "\(folder)/labels-\(name)")
        let read = try IDXFile.readImages("\(folder)/images-\(name)")
        #expect(read.count == 5 && read.rows == 3 && read.columns == 2 && read.images == pixels)
        #expect(try IDXFile.readLabels("\(folder)/labels-\(name)") == [1, 2, 3, 4, 5])
        let bytes = try #require(FileManager.default.contents(atPath: "\(folder)/images-\(name)"))
        #expect(name.hasSuffix(".gz") ? Array(bytes.prefix(2)) == [0x1F, 0x8B] : bytes.count == 16 + pixels.count)
    }

    @Test func refusesAnUnwritablePath() {
        let path = folder + "/no-such-folder/images.gz"
        #expect(throws: IDXFile.Error.unwritable(path: path)) { try IDXFile.writeLabels([1], to: path) }
    }

    @Test func refusesWrongMagic() {
        let path = write("wrong", header(magic: 2049, sizes: [1, 28, 28]) + [UInt8](repeating: 0, count: 784), gzip: true)
        #expect(throws: IDXFile.Error.badHeader(path: path, "magic 2049, expected 2051")) { try IDXFile.readImages(path) }
    }

    @Test func refusesShortFiles() {
        let short = write("short", header(magic: 2051, sizes: [2, 28, 28]) + [UInt8](repeating: 0, count: 1000), gzip: true)
        #expect(throws: IDXFile.Error.short(path: short, expected: 1568, got: 1000)) { try IDXFile.readImages(short) }
        let stub = write("stub", [0, 0, 8], gzip: false)
        #expect(throws: IDXFile.Error.badHeader(path: stub, "only 3 bytes")) { try IDXFile.readLabels(stub) }
    }

    @Test func refusesCorruptGzipAndMissingFiles() throws {
        var gzipped = try Data(contentsOf: URL(fileURLWithPath: write("good", header(magic: 2049, sizes: [4096]) + [UInt8](repeating: 3, count: 4096), gzip: true)))
        gzipped[gzipped.count / 2] ^= 0xFF
        gzipped.removeLast(8)
        let corrupt = write("corrupt", [UInt8](gzipped), gzip: false)
        #expect(throws: IDXFile.Error.self) { try IDXFile.readLabels(corrupt) }
        #expect(throws: IDXFile.Error.unreadable(path: folder + "/absent")) { try IDXFile.readLabels(folder + "/absent") }
    }

    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func readsTheRealMNISTTestSet() throws {
        let images = try IDXFile.readImages(MNIST.file("t10k", "images"))
        let labels = try IDXFile.readLabels(MNIST.file("t10k", "labels"))
        #expect(images.count == 10_000 && images.rows == 28 && images.columns == 28)
        #expect(labels.count == 10_000)
        #expect(Array(labels.prefix(5)) == [7, 2, 1, 0, 4])
    }
}
