import Foundation
@testable import Imaging
import TestSupport
import Testing

/// Every PNG and JPEG variant the design names decodes to the right luminance.
/// Inputs are written by libpng/libjpeg (CImageFixtures); expected pixels are
/// computed here from the source samples, independently of the decoder.
@Suite struct PNGDecodeTests {
    struct Variant: Sendable, CustomStringConvertible {
        var color: Fixtures.PNGColor
        var bitDepth: Int
        var transparency = false
        var interlaced = false

        var description: String {
            "\(color) \(bitDepth)-bit\(transparency ? " tRNS" : "")\(interlaced ? " interlaced" : "")"
        }
    }

    /// All legal colour type / bit depth pairs, with and without tRNS where the
    /// colour type allows it, each plain and Adam7.
    static let variants: [Variant] = {
        let depths: [(Fixtures.PNGColor, [Int])] = [
            (.gray, [1, 2, 4, 8, 16]), (.grayAlpha, [8, 16]), (.rgb, [8, 16]),
            (.rgba, [8, 16]), (.palette, [1, 2, 4, 8]),
        ]
        var all: [Variant] = []
        for (color, bitDepths) in depths {
            for depth in bitDepths {
                let transparencies = [.gray, .rgb, .palette].contains(color) ? [false, true] : [false]
                for transparency in transparencies {
                    for interlaced in [false, true] {
                        all.append(Variant(color: color, bitDepth: depth, transparency: transparency,
                                           interlaced: interlaced))
                    }
                }
            }
        }
        return all
    }()

    /// A random image of the variant and the luminance the decoder must produce.
    static func make(_ v: Variant, width: Int, height: Int, seed: UInt64) throws -> (png: [UInt8], expected: GrayImage) {
        var rng = SeededRNG(corpusSeed: seed)
        let maxValue = (1 << v.bitDepth) - 1
        let channels = v.color.channels
        var palette: [(UInt8, UInt8, UInt8)] = []
        var paletteAlpha: [UInt8] = []
        var transparent: [UInt16]? = nil
        var samples: [UInt16]
        if v.color == .palette {
            // Fewer entries than the depth allows at 8 bits; alpha for only some.
            let entries = v.bitDepth == 8 ? 200 : 1 << v.bitDepth
            palette = (0..<entries).map { _ in (UInt8.random(in: 0...255, using: &rng),
                                                UInt8.random(in: 0...255, using: &rng),
                                                UInt8.random(in: 0...255, using: &rng)) }
            if v.transparency {
                paletteAlpha = (0..<max(1, entries - 1)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                paletteAlpha[0] = 0
            }
            samples = (0..<(width * height)).map { _ in UInt16.random(in: 0..<UInt16(entries), using: &rng) }
        } else {
            samples = (0..<(width * height * channels)).map { _ in UInt16(Int.random(in: 0...maxValue, using: &rng)) }
            if v.transparency {
                let color = (0..<channels).map { _ in UInt16(Int.random(in: 0...maxValue, using: &rng)) }
                transparent = color
                // Make sure the transparent colour occurs (every 5th pixel).
                for pixel in stride(from: 0, to: width * height, by: 5) {
                    for c in 0..<channels { samples[pixel * channels + c] = color[c] }
                }
            }
        }
        let png = try Fixtures.png(width: width, height: height, bitDepth: v.bitDepth, colorType: v.color,
                                   samples: samples, palette: palette, paletteAlpha: paletteAlpha,
                                   transparentColor: transparent, interlaced: v.interlaced)

        func to8(_ s: UInt16) -> Int {
            v.bitDepth == 16 ? Int((Double(s) / 257).rounded()) : Int(s) * 255 / maxValue
        }
        var expected = [UInt8](repeating: 0, count: width * height)
        for p in 0..<(width * height) {
            let px = Array(samples[(p * channels)..<((p + 1) * channels)])
            let isTransparent = transparent.map { $0 == px } ?? false
            let value: Int
            switch v.color {
            case .gray:
                value = Fixtures.overWhite(to8(px[0]), alpha: isTransparent ? 0 : 255)
            case .grayAlpha:
                value = Fixtures.overWhite(to8(px[0]), alpha: to8(px[1]))
            case .rgb:
                value = Fixtures.overWhite(Fixtures.luma(to8(px[0]), to8(px[1]), to8(px[2])),
                                           alpha: isTransparent ? 0 : 255)
            case .rgba:
                value = Fixtures.overWhite(Fixtures.luma(to8(px[0]), to8(px[1]), to8(px[2])), alpha: to8(px[3]))
            case .palette:
                let (r, g, b) = palette[Int(px[0])]
                let alpha = Int(px[0]) < paletteAlpha.count ? Int(paletteAlpha[Int(px[0])]) : 255
                value = Fixtures.overWhite(Fixtures.luma(Int(r), Int(g), Int(b)), alpha: alpha)
            }
            expected[p] = UInt8(value)
        }
        return (png, GrayImage(width: width, height: height, pixels: expected))
    }

    @Test(arguments: variants)
    func decodesExactly(_ variant: Variant) throws {
        // Odd sizes: partial bytes at low depths, partial Adam7 blocks.
        let (png, expected) = try Self.make(variant, width: 13, height: 11, seed: UInt64(variant.bitDepth * 31 + 7))
        let decoded = try ImageDecoder().decode(png)
        #expect(decoded.format == .png)
        #expect(decoded.storedWidth == 13 && decoded.storedHeight == 11)
        #expect(decoded.scaleDenominator == 1 && decoded.orientation == 1)
        #expect(decoded.image.width == 13 && decoded.image.height == 11)
        #expect(decoded.image == expected, "\(variant): \(mismatches(decoded.image, expected))")
    }

    /// Edge sizes where Adam7 passes are empty or a row is a single pixel.
    @Test(arguments: [(1, 1), (1, 9), (9, 1), (2, 3), (8, 8), (33, 17)])
    func interlacedEdgeSizes(_ size: (Int, Int)) throws {
        for color in [Fixtures.PNGColor.gray, .rgba] {
            let variant = Variant(color: color, bitDepth: 8, interlaced: true)
            let (png, expected) = try Self.make(variant, width: size.0, height: size.1, seed: 99)
            #expect(try ImageDecoder().decode(png).image == expected, "\(variant) \(size)")
        }
    }

    /// A larger interlaced image, so every pass carries many pixels.
    @Test func interlacedLarge() throws {
        for variant in [Variant(color: .rgb, bitDepth: 16, interlaced: true),
                        Variant(color: .palette, bitDepth: 4, transparency: true, interlaced: true)] {
            let (png, expected) = try Self.make(variant, width: 203, height: 157, seed: 5)
            #expect(try ImageDecoder().decode(png).image == expected, "\(variant)")
        }
    }

    /// Alpha composited over white: fully transparent is white whatever the
    /// colour, opaque is the colour, half is halfway.
    @Test func alphaOverWhite() throws {
        let samples: [UInt16] = [0, 0, 0, 0,  0, 0, 0, 255,  0, 0, 0, 128,  255, 0, 0, 255,  10, 200, 30, 0]
        let png = try Fixtures.png(width: 5, height: 1, bitDepth: 8, colorType: .rgba, samples: samples)
        #expect(try ImageDecoder().decode(png).image.pixels == [255, 0, 127, 76, 255])
    }

    /// Channel order: pure red, green and blue have distinct luminances.
    @Test func channelOrder() throws {
        let samples: [UInt16] = [255, 0, 0,  0, 255, 0,  0, 0, 255]
        let png = try Fixtures.png(width: 3, height: 1, bitDepth: 8, colorType: .rgb, samples: samples)
        #expect(try ImageDecoder().decode(png).image.pixels == [76, 150, 29])
    }

    /// 16-bit samples scale to 8 bits with rounding, not truncation.
    @Test func sixteenBitRounding() throws {
        let samples: [UInt16] = [0, 128, 129, 385, 386, 65535, 65407, 32896]
        let png = try Fixtures.png(width: 8, height: 1, bitDepth: 16, colorType: .gray, samples: samples)
        #expect(try ImageDecoder().decode(png).image.pixels == [0, 0, 1, 1, 2, 255, 255, 128])
    }

    /// Low bit depths are expanded to the full 0-255 range.
    @Test func lowBitDepthsExpand() throws {
        for (depth, expected) in [(1, [0, 255]), (2, [0, 85, 170, 255]),
                                  (4, [0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238, 255])] {
            let count = 1 << depth
            let png = try Fixtures.png(width: count, height: 1, bitDepth: depth, colorType: .gray,
                                       samples: (0..<count).map(UInt16.init))
            #expect(try ImageDecoder().decode(png).image.pixels == expected.map(UInt8.init), "\(depth)-bit")
        }
    }
}

/// `n mismatches, first at (x, y): got a, want b`, for failure messages.
func mismatches(_ got: GrayImage, _ want: GrayImage) -> String {
    guard got.width == want.width, got.height == want.height else {
        return "size \(got.width)x\(got.height), want \(want.width)x\(want.height)"
    }
    let bad = got.pixels.indices.filter { got.pixels[$0] != want.pixels[$0] }
    guard let first = bad.first else { return "identical" }
    return "\(bad.count) mismatches, first at (\(first % got.width), \(first / got.width)): "
        + "got \(got.pixels[first]), want \(want.pixels[first])"
}

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

extension Array where Element == UInt8 {
    func windowContains(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

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
