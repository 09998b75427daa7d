import CImageFixtures
import Foundation
import Imaging

/// Scans for the daemon tests, written through libpng/libjpeg by the
/// CImageFixtures writers (the few lines of Tests/ImagingTests/Fixtures.swift
/// these tests need; a test target cannot import another), plus the bad corpus.
enum TestImages {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A white page with a dark stroke somewhere on it: a "digit" with ink.
    static func page(width: Int = 40, height: Int = 40, seed: UInt64) -> GrayImage {
        var rng = SeededRNG(seed: seed)
        var pixels = [UInt8](repeating: 250, count: width * height)
        let x0 = Int.random(in: width / 5...(width / 2), using: &rng)
        let x1 = Int.random(in: (width / 2)...(width * 4 / 5), using: &rng)
        let y0 = height / 6, y1 = height * 5 / 6
        for y in y0..<y1 {
            let t = Double(y - y0) / Double(y1 - y0)
            let cx = Int(Double(x0) + t * Double(x1 - x0))
            for x in max(0, cx - 2)...min(width - 1, cx + 2) { pixels[y * width + x] = 20 }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// A page without ink: the daemon's `blank`.
    static func blankPage(width: Int = 40, height: Int = 40) -> GrayImage {
        GrayImage(width: width, height: height, fill: 250)
    }

    /// An 8-bit grayscale PNG (optionally RGB, interlaced).
    static func png(_ image: GrayImage, rgb: Bool = false, interlaced: Bool = false) throws -> [UInt8] {
        let colorType: Int32 = rgb ? 2 : 0
        let channels = rgb ? 3 : 1
        var rows = [UInt8]()
        rows.reserveCapacity(image.pixels.count * channels)
        for value in image.pixels { for _ in 0..<channels { rows.append(value) } }
        var options = dgt_fx_png_defaults(UInt32(image.width), UInt32(image.height), 8, colorType)
        options.interlaced = interlaced ? 1 : 0
        return try collect { out, size, message in
            rows.withUnsafeBufferPointer { dgt_fx_png_write(&options, $0.baseAddress, $0.count, out, size, message) }
        }
    }

    /// A grayscale JPEG, baseline or progressive.
    static func jpeg(_ image: GrayImage, progressive: Bool = false) throws -> [UInt8] {
        var options = dgt_fx_jpeg_defaults(UInt32(image.width), UInt32(image.height), 1)
        options.quality = 90
        options.progressive = progressive ? 1 : 0
        return try collect { out, size, message in
            image.pixels.withUnsafeBufferPointer {
                dgt_fx_jpeg_write(&options, $0.baseAddress, $0.count, out, size, message)
            }
        }
    }

    private static func collect(
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>,
                 UnsafeMutablePointer<CChar>) -> Int32
    ) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        var message = [CChar](repeating: 0, count: Int(DGT_FX_MESSAGE_MAX))
        let status = message.withUnsafeMutableBufferPointer { body(&out, &size, $0.baseAddress!) }
        defer { dgt_fx_free(out) }
        guard status == DGT_FX_OK, let out else {
            throw Failure(description: String(cString: message))
        }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    // MARK: - Bad inputs (byte surgery)

    static func readBE32(_ bytes: [UInt8], _ at: Int) -> Int {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
    }

    static func writeBE32(_ bytes: inout [UInt8], _ at: Int, _ value: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
    }

    /// Offset of the length field of the first chunk of `type`.
    static func pngChunk(_ png: [UInt8], _ type: String) -> (offset: Int, length: Int)? {
        var at = 8
        while at + 8 <= png.count {
            let length = readBE32(png, at)
            if String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self) == type { return (at, length) }
            at += 12 + length
        }
        return nil
    }

    /// The PNG with the CRC of its IDAT chunk damaged.
    static func pngBadCRC(_ png: [UInt8]) -> [UInt8] {
        let idat = pngChunk(png, "IDAT")!
        var bytes = png
        bytes[idat.offset + 8 + idat.length] ^= 0x01
        return bytes
    }

    /// The PNG declaring `width` x `height` in IHDR, its CRC recomputed (so only the size is wrong).
    static func pngDeclaring(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = png
        writeBE32(&bytes, 16, width)
        writeBE32(&bytes, 20, height)
        let crc = crc32(bytes[12..<29])
        writeBE32(&bytes, 29, crc)
        return bytes
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// The JPEG without its final EOI marker.
    static func jpegWithoutEOI(_ jpeg: [UInt8]) -> [UInt8] {
        precondition(jpeg.suffix(2) == [0xFF, 0xD9])
        return Array(jpeg.dropLast(2))
    }
}

/// xorshift64*, for reproducible test data.
struct SeededRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
