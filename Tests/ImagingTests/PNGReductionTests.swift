import Imaging
import TestSupport
import Testing

/// A large PNG is reduced while it is read, as a large JPEG is by DCT scaling:
/// to 1/2, 1/4 or 1/8 while the shorter side stays ≥ minDecodedSide, each output
/// pixel the rounded mean of its block. Interlaced files too, pass by pass.
@Suite struct PNGReductionTests {
    static let variants: [PNGDecodeTests.Variant] = [
        .init(color: .gray, bitDepth: 8), .init(color: .gray, bitDepth: 1, interlaced: true),
        .init(color: .rgba, bitDepth: 16, interlaced: true), .init(color: .rgb, bitDepth: 8, transparency: true),
        .init(color: .palette, bitDepth: 4, transparency: true, interlaced: true), .init(color: .grayAlpha, bitDepth: 8),
    ]

    /// 203x157: partial blocks at the right and bottom at every scale.
    @Test(arguments: variants, [(70, 2), (35, 4), (16, 8)])
    func blocksAreAveraged(_ variant: PNGDecodeTests.Variant, _ scale: (minSide: Int, denominator: Int)) throws {
        let (png, full) = try PNGDecodeTests.make(variant, width: 203, height: 157, seed: 21)
        let decoded = try ImageDecoder(minDecodedSide: scale.minSide).decode(png)
        #expect(decoded.scaleDenominator == scale.denominator)
        #expect(decoded.storedWidth == 203 && decoded.storedHeight == 157)
        let expected = JPEGDecodeTests.boxDownsample(full, by: scale.denominator)
        #expect(decoded.image == expected, "\(variant): \(mismatches(decoded.image, expected))")
    }

    /// Adam7 passes that are empty, or a pixel wide, at the smallest sizes.
    @Test(arguments: [(1, 1), (1, 9), (9, 1), (2, 3), (8, 8), (33, 17)])
    func interlacedEdgeSizes(_ size: (Int, Int)) throws {
        let (png, full) = try PNGDecodeTests.make(.init(color: .rgb, bitDepth: 8, interlaced: true),
                                                  width: size.0, height: size.1, seed: 5)
        let decoded = try ImageDecoder(minDecodedSide: 1).decode(png)
        #expect(decoded.image == JPEGDecodeTests.boxDownsample(full, by: decoded.scaleDenominator), "\(size)")
    }

    /// The default keeps the shorter side at 256 px or more.
    @Test func pageSizedScanByDefault() throws {
        let page = Sketch.seven(width: 1100, height: 800, at: (300, 200), size: 400, pen: 30).image
        let decoded = try ImageDecoder().decode(try Fixtures.png(page, interlaced: true))
        #expect(decoded.scaleDenominator == 2)
        #expect(decoded.image == JPEGDecodeTests.boxDownsample(page, by: 2))
        #expect(try !ScanNormalizer().normalize(decoded.image).isBlank)
    }
}
