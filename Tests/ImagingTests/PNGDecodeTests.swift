import NeuralNetwork
import Testing
import TestSupport
@testable import Imaging

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
        var rng = SeededRandom(seed: seed)
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
