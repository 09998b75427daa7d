import CZlib
import Imaging
import TestSupport
import Testing

/// Ancillary chunks are skipped, never inflated: a PNG full of compressed text
/// and profile chunks, each a few kilobytes that inflate to megabytes, decodes
/// to its pixels well within the default work budget. (Inflated, these chunks
/// cost seconds of CPU in each of the decoder's two passes.)
@Suite struct ChunkBombTests {
    /// 7.9 MB of zeros, just under libpng's default 8 MB chunk limit, in about 8 KB.
    static let inflatesTo = 7_900_000
    static let stream = Fixtures.zlibCompressed([UInt8](repeating: 0, count: inflatesTo))

    static func zTXt(_ i: Int) -> [UInt8] {
        Fixtures.pngChunk(type: "zTXt", data: Array("Comment \(i)".utf8) + [0, 0] + stream)
    }

    /// Compressed international text (flag 1, method 0, no language or translation).
    static func iTXt(_ i: Int) -> [UInt8] {
        Fixtures.pngChunk(type: "iTXt", data: Array("Description \(i)".utf8) + [0, 1, 0, 0, 0] + stream)
    }

    static let iCCP = Fixtures.pngChunk(type: "iCCP", data: Array("ICC profile".utf8) + [0, 0] + stream)

    @Test func textAndProfileBombsAreSkipped() throws {
        // The stream really inflates to that many zeros.
        var inflated = [UInt8](repeating: 1, count: Self.inflatesTo)
        var length = UInt(inflated.count)
        #expect(uncompress(&inflated, &length, Self.stream, UInt(Self.stream.count)) == Z_OK)
        #expect(length == UInt(Self.inflatesTo) && inflated.allSatisfy { $0 == 0 })
        #expect(Self.stream.count < 10_000)

        // Palette and tRNS, so the chunks the pixels need are seen to be kept.
        let (png, expected) = try PNGDecodeTests.make(.init(color: .palette, bitDepth: 8, transparency: true),
                                                      width: 9, height: 7, seed: 12)
        // Before the image data (read by both passes) and after it (png_read_end).
        let early = [Self.iCCP] + (0..<150).flatMap { [Self.zTXt($0), Self.iTXt($0)] }
        let late = (150..<300).flatMap { [Self.zTXt($0), Self.iTXt($0)] }
        let bomb = Fixtures.insertingPNGChunks(Fixtures.insertingPNGChunks(png, early, before: "PLTE"), late,
                                               before: "IEND")
        #expect(Fixtures.pngChunks(bomb).count == Fixtures.pngChunks(png).count + 601)
        #expect(try ImageDecoder().decode(bomb).image == expected)
    }
}
