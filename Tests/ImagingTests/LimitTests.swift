import Foundation
@testable import Imaging
import TestSupport
import Testing

/// Limits are checked from the header, before any pixel memory exists.
@Suite struct LimitTests {
    static let smallPNG: [UInt8] = try! Fixtures.png(GrayImage(width: 16, height: 16, fill: 128))
    static let smallJPEG: [UInt8] = try! Fixtures.jpeg(GrayImage(width: 16, height: 16, fill: 128))
    static let dir = TempFolder.unique("limits")

    /// A 16x16 file whose header claims 100000x100000: the data could never
    /// fill it, so `.tooLarge` (rather than truncated/corrupt) shows the refusal
    /// came from the header, before a 10 GB buffer or any decoding.
    @Test func hugeDeclaredPNG() {
        let png = Fixtures.patchingPNGSize(Self.smallPNG, width: 100_000, height: 100_000)
        #expect(throws: ImageDecodeError.tooLarge(width: 100_000, height: 100_000, limits: .default)) {
            try ImageDecoder().decode(png)
        }
        #expect(ImageDecodeError.tooLarge(width: 100_000, height: 100_000, limits: .default).description
                == "image is 100000x100000, over the 20000x20000 limit")
    }

    /// Widths past libpng's own default user limit (1,000,000) still get our
    /// limit's message, not libpng's "Invalid IHDR data".
    @Test(arguments: [(2_000_000, 10), (10, 5_000_000), (0x7FFF_FFFF, 0x7FFF_FFFF)])
    func hugerDeclaredPNG(_ size: (Int, Int)) {
        let png = Fixtures.patchingPNGSize(Self.smallPNG, width: UInt32(size.0), height: UInt32(size.1))
        #expect(throws: ImageDecodeError.tooLarge(width: size.0, height: size.1, limits: .default)) {
            try ImageDecoder().decode(png)
        }
    }

    /// Beyond PNG's 2^31-1 a width is not a size but a broken header.
    @Test func invalidPNGWidth() throws {
        let png = Fixtures.patchingPNGSize(Self.smallPNG, width: 0x8000_0000, height: 16)
        let error = try #require(throws: ImageDecodeError.self) { try ImageDecoder().decode(png) }
        guard case .corrupt(.png, _) = error else { Issue.record("got \(error)"); return }
    }

    @Test func hugeDeclaredJPEG() {
        let jpeg = Fixtures.patchingJPEGSize(Self.smallJPEG, width: 65535, height: 65535)
        #expect(throws: ImageDecodeError.tooLarge(width: 65535, height: 65535, limits: .default)) {
            try ImageDecoder().decode(jpeg)
        }
    }

    /// Within width and height but over the pixel count.
    @Test func megapixelLimit() {
        let png = Fixtures.patchingPNGSize(Self.smallPNG, width: 7000, height: 7000)
        let jpeg = Fixtures.patchingJPEGSize(Self.smallJPEG, width: 7000, height: 7000)
        let expected = ImageDecodeError.tooLarge(width: 7000, height: 7000, limits: .default)
        #expect(throws: expected) { try ImageDecoder().decode(png) }
        #expect(throws: expected) { try ImageDecoder().decode(jpeg) }
        #expect(expected.description == "image is 7000x7000, over the 40-megapixel limit")
    }

    /// A real (not patched) small file of a big flat page: a decompression
    /// bomb in miniature, refused by a tighter pixel limit before decoding.
    @Test func realBombRefusedByPixelLimit() throws {
        let page = GrayImage(width: 1500, height: 1000, fill: 255)
        let png = try Fixtures.png(page)
        let jpeg = try Fixtures.jpeg(page, quality: 50)
        #expect(png.count < 4000 && jpeg.count < 30000)
        var limits = DecodeLimits()
        limits.maxPixels = 1_000_000
        let decoder = ImageDecoder(limits: limits)
        let expected = ImageDecodeError.tooLarge(width: 1500, height: 1000, limits: limits)
        #expect(throws: expected) { try decoder.decode(png) }
        #expect(throws: expected) { try decoder.decode(jpeg) }
        #expect(expected.description == "image is 1500x1000, over the 1-megapixel limit")
        // The same files within the default limits decode.
        #expect(try ImageDecoder(minDecodedSide: 0).decode(png).image == page)
        #expect(try ImageDecoder().decode(jpeg).image.pixels.allSatisfy { $0 >= 254 })
    }

    /// The width and height limits are inclusive.
    @Test func limitBoundaries() throws {
        var limits = DecodeLimits()
        limits.maxWidth = 40
        limits.maxHeight = 30
        let decoder = ImageDecoder(limits: limits)
        for (w, h, ok) in [(40, 30, true), (41, 30, false), (40, 31, false)] {
            let image = GrayImage(width: w, height: h, fill: 7)
            for bytes in [try Fixtures.png(image), try Fixtures.jpeg(image)] {
                if ok {
                    #expect(try decoder.decode(bytes).image.width == w)
                } else {
                    #expect(throws: ImageDecodeError.tooLarge(width: w, height: h, limits: limits)) {
                        try decoder.decode(bytes)
                    }
                }
            }
        }
        #expect(ImageDecodeError.tooLarge(width: 41, height: 30, limits: limits).description
                == "image is 41x30, over the 40x30 limit")
    }

    @Test(arguments: [(0, 16), (16, 0), (0, 0)])
    func zeroSizePNG(_ size: (UInt32, UInt32)) {
        let png = Fixtures.patchingPNGSize(Self.smallPNG, width: size.0, height: size.1)
        #expect(throws: ImageDecodeError.zeroSize(.png)) { try ImageDecoder().decode(png) }
    }

    @Test(arguments: [(0, 16), (16, 0), (0, 0)])
    func zeroSizeJPEG(_ size: (UInt16, UInt16)) {
        let jpeg = Fixtures.patchingJPEGSize(Self.smallJPEG, width: size.0, height: size.1)
        #expect(throws: ImageDecodeError.zeroSize(.jpeg)) { try ImageDecoder().decode(jpeg) }
        #expect(ImageDecodeError.zeroSize(.jpeg).description == "JPEG has zero width or height")
    }

    @Test func maxFileBytes() throws {
        let path = Self.dir + "/limit.png"
        try Data(Self.smallPNG).write(to: URL(fileURLWithPath: path))
        let size = Self.smallPNG.count
        var limits = DecodeLimits()
        limits.maxFileBytes = size - 1
        #expect(throws: ImageDecodeError.fileTooLarge(bytes: size, limit: size - 1)) {
            try ImageDecoder(limits: limits).decode(contentsOf: path)
        }
        #expect(ImageDecodeError.fileTooLarge(bytes: size, limit: size - 1).description
                == "file is \(size) bytes, over the \(size - 1)-byte limit")
        limits.maxFileBytes = size
        #expect(try ImageDecoder(limits: limits).decode(contentsOf: path).image.width == 16)
    }

    /// Progressive files hold all coefficients of the full image; one at the
    /// pixel limit (CMYK at 4:4:4 is the most: 8 bytes a pixel, plus MCU
    /// padding) still decodes, even at a tiny limit where overheads dominate.
    @Test func progressiveAtPixelLimit() throws {
        var limits = DecodeLimits()
        limits.maxPixels = 200 * 200
        let decoder = ImageDecoder(limits: limits, minDecodedSide: 0)
        let (ink, expected) = JPEGDecodeTests.cmykCase(width: 200, height: 200)
        let cmyk = try Fixtures.jpeg(width: 200, height: 200, components: 4, pixels: ink, colorSpace: .cmyk,
                                     progressive: true, adobeMarker: true, invertCMYK: true)
        #expect(Fixtures.meanAbsDiff(try decoder.decode(cmyk).image, expected) < JPEGDecodeTests.tolerance)
        let planes = JPEGDecodeTests.rgbPlanes(width: 200, height: 200)
        let rgb = try Fixtures.jpeg(width: 200, height: 200, components: 3, pixels: JPEGDecodeTests.interleave(planes),
                                    progressive: true, fullChroma: true)
        #expect(Fixtures.meanAbsDiff(try decoder.decode(rgb).image, JPEGDecodeTests.lumaOf(planes))
                < JPEGDecodeTests.tolerance)
    }

    /// jpeg_simple_progression writes 10 scans for YCbCr and 6 for gray.
    @Test func progressiveScanLimit() throws {
        let planes = JPEGDecodeTests.rgbPlanes(width: 48, height: 32)
        let jpeg = try Fixtures.jpeg(width: 48, height: 32, components: 3, pixels: JPEGDecodeTests.interleave(planes),
                                     progressive: true)
        var limits = DecodeLimits()
        limits.maxJPEGScans = 10
        #expect(try ImageDecoder(limits: limits).decode(jpeg).image.width == 48)
        limits.maxJPEGScans = 9
        #expect(throws: ImageDecodeError.corrupt(.jpeg, "more than 9 progressive scans")) {
            try ImageDecoder(limits: limits).decode(jpeg)
        }
    }

    /// A legal file with a scan per coefficient: 64 scans gray (allowed by
    /// the default 100), 190 scans colour (refused).
    @Test func scanPerCoefficient() throws {
        let gray = JPEGDecodeTests.smooth(width: 48, height: 32)
        let grayJPEG = try Fixtures.jpeg(width: 48, height: 32, components: 1, pixels: gray.pixels,
                                         scans: Fixtures.scanPerCoefficient(components: 1))
        #expect(Fixtures.meanAbsDiff(try ImageDecoder().decode(grayJPEG).image, gray) < JPEGDecodeTests.tolerance)

        let planes = JPEGDecodeTests.rgbPlanes(width: 48, height: 32)
        let colorJPEG = try Fixtures.jpeg(width: 48, height: 32, components: 3,
                                          pixels: JPEGDecodeTests.interleave(planes),
                                          scans: Fixtures.scanPerCoefficient(components: 3))
        #expect(throws: ImageDecodeError.corrupt(.jpeg, "more than 100 progressive scans")) {
            try ImageDecoder().decode(colorJPEG)
        }
        var limits = DecodeLimits()
        limits.maxJPEGScans = 190
        #expect(Fixtures.meanAbsDiff(try ImageDecoder(limits: limits).decode(colorJPEG).image,
                                     JPEGDecodeTests.lumaOf(planes)) < JPEGDecodeTests.tolerance)
    }
}
