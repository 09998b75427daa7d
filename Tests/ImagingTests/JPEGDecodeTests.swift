import Foundation
@testable import Imaging
import TestSupport
import Testing

@Suite struct JPEGDecodeTests {
    /// Smooth, non-symmetric content: a diagonal ramp with different slopes in
    /// x and y plus a soft bump off centre, so flips, transposes and row-order
    /// errors all move pixels by tens of levels.
    static func smooth(width: Int, height: Int, channel: Int = 0) -> GrayImage {
        var image = GrayImage(width: width, height: height, fill: 0)
        let slopes: [(Double, Double, Double)] = [(150, 50, 30), (40, 160, 40), (90, 20, 120), (10, 60, 200)]
        let (sx, sy, base) = slopes[channel % slopes.count]
        for y in 0..<height {
            for x in 0..<width {
                let u = Double(x) / Double(max(1, width - 1)), v = Double(y) / Double(max(1, height - 1))
                let bump = 40 * exp(-((u - 0.3) * (u - 0.3) + (v - 0.7) * (v - 0.7)) * 12)
                image[x, y] = UInt8(max(0, min(255, base + sx * u + sy * v * (channel == 1 ? 0.5 : 1) - bump + 20)))
            }
        }
        return image
    }

    /// Interleaves equally sized planes into RGB or CMYK pixels.
    static func interleave(_ planes: [GrayImage]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(planes[0].pixels.count * planes.count)
        for i in planes[0].pixels.indices { for p in planes { out.append(p.pixels[i]) } }
        return out
    }

    static func rgbPlanes(width: Int, height: Int) -> [GrayImage] {
        (0..<3).map { smooth(width: width, height: height, channel: $0) }
    }

    static func lumaOf(_ planes: [GrayImage]) -> GrayImage {
        let (r, g, b) = (planes[0].pixels, planes[1].pixels, planes[2].pixels)
        return GrayImage(width: planes[0].width, height: planes[0].height,
                         pixels: r.indices.map { UInt8(Fixtures.luma(Int(r[$0]), Int(g[$0]), Int(b[$0]))) })
    }

    /// Bound on the mean absolute difference for quality-95 smooth content; a
    /// flipped, shifted, channel-swapped or grey-filled decode is off by tens.
    static let tolerance = 1.0

    @Test(arguments: [false, true])
    func grayscale(progressive: Bool) throws {
        let source = Self.smooth(width: 96, height: 64)
        let jpeg = try Fixtures.jpeg(source, progressive: progressive)
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(decoded.format == .jpeg)
        #expect(decoded.image.width == 96 && decoded.image.height == 64)
        #expect(decoded.scaleDenominator == 1 && decoded.orientation == 1)
        #expect(Fixtures.meanAbsDiff(decoded.image, source) < Self.tolerance)
    }

    /// YCbCr (the default for RGB input) decodes to the source's Rec. 601 luma.
    @Test(arguments: [false, true])
    func ycbcr(progressive: Bool) throws {
        let planes = Self.rgbPlanes(width: 80, height: 56)
        let jpeg = try Fixtures.jpeg(width: 80, height: 56, components: 3, pixels: Self.interleave(planes),
                                     progressive: progressive)
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(Fixtures.meanAbsDiff(decoded.image, Self.lumaOf(planes)) < Self.tolerance)
    }

    /// RGB stored without the YCbCr transform (Adobe transform 0).
    @Test func rgbColorSpace() throws {
        let planes = Self.rgbPlanes(width: 64, height: 48)
        let jpeg = try Fixtures.jpeg(width: 64, height: 48, components: 3, pixels: Self.interleave(planes),
                                     colorSpace: .rgb, fullChroma: true)
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(Fixtures.meanAbsDiff(decoded.image, Self.lumaOf(planes)) < Self.tolerance)
    }

    /// Channel order in colour JPEGs: swapping R and B would change this luma a lot.
    @Test func colorChannelsWeighted() throws {
        let w = 32, h = 16
        var pixels: [UInt8] = []
        for _ in 0..<h { for x in 0..<w { pixels += x < 16 ? [230, 40, 20] : [20, 40, 230] } }
        let jpeg = try Fixtures.jpeg(width: w, height: h, components: 3, pixels: pixels, fullChroma: true)
        let image = try ImageDecoder().decode(jpeg).image
        let red = Fixtures.luma(230, 40, 20), blue = Fixtures.luma(20, 40, 230)  // 94 and 55
        #expect(abs(Int(image[4, 8]) - red) <= 2)
        #expect(abs(Int(image[27, 8]) - blue) <= 2)
    }

    /// CMYK: ink amounts → R = (255-C)(255-K)/255 … → luma.
    static func cmykCase(width: Int, height: Int) -> (ink: [UInt8], expected: GrayImage) {
        let planes = (0..<4).map { Self.smooth(width: width, height: height, channel: $0) }
        // Keep black ink light so the other inks still show.
        let ink = Self.interleave(planes.enumerated().map { i, p in
            i == 3 ? GrayImage(width: width, height: height, pixels: p.pixels.map { $0 / 3 }) : p
        })
        var expected = [UInt8](repeating: 0, count: width * height)
        for p in expected.indices {
            let c = Int(ink[4 * p]), m = Int(ink[4 * p + 1]), y = Int(ink[4 * p + 2]), k = Int(ink[4 * p + 3])
            func channel(_ v: Int) -> Int { Int((Double((255 - v) * (255 - k)) / 255).rounded()) }
            expected[p] = UInt8(Fixtures.luma(channel(c), channel(m), channel(y)))
        }
        return (ink, GrayImage(width: width, height: height, pixels: expected))
    }

    /// Adobe CMYK and YCCK: stored inverted (255 = no ink) with the APP14
    /// marker, as Photoshop writes them.
    @Test(arguments: [Fixtures.JPEGColorSpace.cmyk, .ycck])
    func adobeInvertedCMYK(_ space: Fixtures.JPEGColorSpace) throws {
        let (ink, expected) = Self.cmykCase(width: 64, height: 48)
        let jpeg = try Fixtures.jpeg(width: 64, height: 48, components: 4, pixels: ink, colorSpace: space,
                                     adobeMarker: true, invertCMYK: true)
        #expect(jpeg.windowContains(Array("Adobe".utf8)))
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(Fixtures.meanAbsDiff(decoded.image, expected) < Self.tolerance)
    }

    /// Plain CMYK without the Adobe marker stores ink amounts as they are.
    @Test func plainCMYK() throws {
        let (ink, expected) = Self.cmykCase(width: 64, height: 48)
        let jpeg = try Fixtures.jpeg(width: 64, height: 48, components: 4, pixels: ink, colorSpace: .cmyk,
                                     adobeMarker: false)
        #expect(!jpeg.windowContains(Array("Adobe".utf8)))
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(Fixtures.meanAbsDiff(decoded.image, expected) < Self.tolerance)
    }

    /// Progressive CMYK also needs a full-size coefficient buffer per component.
    @Test func progressiveAdobeCMYK() throws {
        let (ink, expected) = Self.cmykCase(width: 64, height: 48)
        let jpeg = try Fixtures.jpeg(width: 64, height: 48, components: 4, pixels: ink, colorSpace: .cmyk,
                                     progressive: true, adobeMarker: true, invertCMYK: true)
        #expect(Fixtures.meanAbsDiff(try ImageDecoder().decode(jpeg).image, expected) < Self.tolerance)
    }

    /// Pure white and pure black stay exact (no colour-conversion offset).
    @Test func extremesExact() throws {
        var pixels = [UInt8](repeating: 255, count: 32 * 16)
        for y in 0..<16 { for x in 16..<32 { pixels[y * 32 + x] = 0 } }
        let image = GrayImage(width: 32, height: 16, pixels: pixels)
        let decoded = try ImageDecoder().decode(try Fixtures.jpeg(image, quality: 100)).image
        #expect(decoded[2, 8] == 255 && decoded[29, 8] == 0)
    }

    @Test func arithmeticCodingAndRestartMarkers() throws {
        let source = Self.smooth(width: 64, height: 64)
        for (arithmetic, restart) in [(true, 0), (false, 3), (true, 2)] {
            let jpeg = try Fixtures.jpeg(width: 64, height: 64, components: 1, pixels: source.pixels,
                                         restartInterval: restart, arithmetic: arithmetic)
            #expect(Fixtures.meanAbsDiff(try ImageDecoder().decode(jpeg).image, source) < Self.tolerance)
        }
    }

    // MARK: EXIF orientation

    /// The stored image for an upright one under EXIF `orientation`, from the
    /// spec's wording: where the stored 0th row and 0th column are shown.
    static func stored(_ upright: GrayImage, orientation: Int) -> GrayImage {
        let (W, H) = (upright.width, upright.height)
        // (row 0 at, column 0 at) for 1-8.
        let sides: [(String, String)] = [("top", "left"), ("top", "right"), ("bottom", "right"), ("bottom", "left"),
                                          ("left", "top"), ("right", "top"), ("right", "bottom"), ("left", "bottom")]
        let (row0, col0) = sides[orientation - 1]
        let transposed = orientation >= 5
        let (sw, sh) = transposed ? (H, W) : (W, H)
        var out = GrayImage(width: sw, height: sh, fill: 0)
        for ys in 0..<sh {
            for xs in 0..<sw {
                let x: Int, y: Int
                if transposed {
                    x = row0 == "left" ? ys : W - 1 - ys
                    y = col0 == "top" ? xs : H - 1 - xs
                } else {
                    y = row0 == "top" ? ys : H - 1 - ys
                    x = col0 == "left" ? xs : W - 1 - xs
                }
                out[xs, ys] = upright[x, y]
            }
        }
        return out
    }

    @Test(arguments: 1...8, [false, true])
    func exifOrientation(_ orientation: Int, bigEndian: Bool) throws {
        let upright = Self.smooth(width: 72, height: 40)
        let stored = Self.stored(upright, orientation: orientation)
        let jpeg = try Fixtures.jpeg(stored, exif: Fixtures.exif(orientation: orientation, bigEndian: bigEndian))
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(decoded.orientation == orientation)
        #expect(decoded.storedWidth == stored.width && decoded.storedHeight == stored.height)
        #expect(decoded.image.width == 72 && decoded.image.height == 40)
        if decoded.image.width == 72 && decoded.image.height == 40 {
            #expect(Fixtures.meanAbsDiff(decoded.image, upright) < Self.tolerance)
        }
    }

    /// Without the EXIF block the same stored image is returned as stored, so
    /// the orientation test above is not passing by accident.
    @Test func exifAbsentLeavesImageAsStored() throws {
        let upright = Self.smooth(width: 72, height: 40)
        let stored = Self.stored(upright, orientation: 6)
        let decoded = try ImageDecoder().decode(try Fixtures.jpeg(stored))
        #expect(decoded.orientation == 1)
        #expect(decoded.image.width == 40 && decoded.image.height == 72)
        #expect(Fixtures.meanAbsDiff(decoded.image, stored) < Self.tolerance)
    }

    /// A damaged or unusual EXIF block never fails the decode; it means 1.
    @Test func badExifIgnored() throws {
        let image = Self.smooth(width: 32, height: 24)
        var exif = Fixtures.exif(orientation: 6)
        let cases: [[UInt8]] = [
            Array(exif.prefix(12)),                             // cut inside the TIFF header
            Array("Exif".utf8) + [0, 0, 0x49, 0x49, 42, 0, 0xFF, 0xFF, 0xFF, 0x7F],  // IFD far outside
            { exif[6] = 0x58; return exif }(),                   // neither II nor MM
            Fixtures.exif(orientation: 9),                       // out of range
            Fixtures.exif(orientation: 0),
            Array("Exif".utf8) + [0, 0],                         // empty TIFF
        ]
        for block in cases {
            let decoded = try ImageDecoder().decode(try Fixtures.jpeg(image, exif: block))
            #expect(decoded.orientation == 1)
            #expect(Fixtures.meanAbsDiff(decoded.image, image) < Self.tolerance)
        }
    }

    // MARK: DCT scaling

    /// The content of `image` reduced by box-averaging d x d blocks (partial
    /// blocks at the edges average what they have).
    static func boxDownsample(_ image: GrayImage, by d: Int) -> GrayImage {
        let w = (image.width + d - 1) / d, h = (image.height + d - 1) / d
        var out = GrayImage(width: w, height: h, fill: 0)
        for y in 0..<h {
            for x in 0..<w {
                var sum = 0, n = 0
                for yy in (y * d)..<min(image.height, (y + 1) * d) {
                    for xx in (x * d)..<min(image.width, (x + 1) * d) { sum += Int(image[xx, yy]); n += 1 }
                }
                out[x, y] = UInt8((sum + n / 2) / n)
            }
        }
        return out
    }

    /// minDecodedSide picks the largest of 1/2, 1/4, 1/8 that keeps the
    /// decoded shorter side (rounded up, as libjpeg sizes it) at least that long.
    @Test(arguments: [(260, 200, 64, 2), (260, 200, 50, 4), (300, 255, 32, 8), (300, 247, 32, 4),
                      (300, 200, 0, 1), (300, 200, 201, 1), (127, 130, 16, 8), (119, 130, 16, 4)])
    func dctScaling(_ c: (width: Int, height: Int, minSide: Int, denominator: Int)) throws {
        let source = Self.smooth(width: c.width, height: c.height)
        let jpeg = try Fixtures.jpeg(source)
        let decoded = try ImageDecoder(minDecodedSide: c.minSide).decode(jpeg)
        let d = c.denominator
        #expect(decoded.scaleDenominator == d)
        #expect(decoded.storedWidth == c.width && decoded.storedHeight == c.height)
        let want = Self.boxDownsample(source, by: d)
        #expect(decoded.image.width == want.width && decoded.image.height == want.height)
        if decoded.image.width == want.width && decoded.image.height == want.height {
            #expect(Fixtures.meanAbsDiff(decoded.image, want) < Self.tolerance)
        }
    }

    /// With the default minDecodedSide (256), a 2100x2300 scan comes back at
    /// 1/8 (263x288); scaled and oriented together for a colour progressive file.
    @Test func dctScalingDefaultWithOrientation() throws {
        let planes = Self.rgbPlanes(width: 2300, height: 2100)  // stored sideways
        let jpeg = try Fixtures.jpeg(width: 2300, height: 2100, components: 3, pixels: Self.interleave(planes),
                                     quality: 90, progressive: true, exif: Fixtures.exif(orientation: 8))
        let decoded = try ImageDecoder().decode(jpeg)
        #expect(decoded.scaleDenominator == 8)
        #expect(decoded.orientation == 8)
        let want = Self.stored(Self.boxDownsample(Self.lumaOf(planes), by: 8), orientation: 6)  // 8's inverse
        #expect(decoded.image.width == 263 && decoded.image.height == 288)
        if decoded.image.width == want.width && decoded.image.height == want.height {
            #expect(Fixtures.meanAbsDiff(decoded.image, want) < Self.tolerance)
        }
    }

    /// The default steps: 1/2 from a 511-px shorter side, 1/4 from 1021, 1/8 from 2041.
    @Test func defaultScaleSteps() {
        let decoder = ImageDecoder()
        #expect(decoder.minDecodedSide == 256)
        for (w, h, d) in [(510, 4000, 1), (511, 4000, 2), (4000, 1020, 2), (4000, 1021, 4), (1024, 1024, 4), (2040, 9000, 4),
                          (2041, 9000, 8), (20000, 2041, 8), (1, 1, 1)] {
            #expect(decoder.scaleDenominator(width: w, height: h) == d, "\(w)x\(h)")
        }
        #expect(ImageDecoder(minDecodedSide: 0).scaleDenominator(width: 20000, height: 20000) == 1)
    }
}
