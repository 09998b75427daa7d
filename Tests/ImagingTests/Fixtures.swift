import CImageFixtures
import CZlib
import Imaging

/// Builds PNG and JPEG test inputs in memory through libpng and libjpeg (the
/// CImageFixtures writers), plus the byte surgery the bad-input tests need.
enum Fixtures {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    enum PNGColor: Int32, CaseIterable, Sendable, CustomStringConvertible {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        var channels: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        var description: String {
            switch self {
            case .gray: "gray"
            case .rgb: "RGB"
            case .palette: "palette"
            case .grayAlpha: "gray+alpha"
            case .rgba: "RGBA"
            }
        }
    }

    /// A PNG of `samples`: width*height*channels values, row-major, channels
    /// interleaved, each within the bit depth (palette: indices). Packed here
    /// into PNG's row layout (MSB-first below 8 bits, big-endian at 16).
    static func png(width: Int, height: Int, bitDepth: Int, colorType: PNGColor, samples: [UInt16],
                    palette: [(UInt8, UInt8, UInt8)] = [], paletteAlpha: [UInt8] = [],
                    transparentColor: [UInt16]? = nil, interlaced: Bool = false,
                    compressionLevel: Int = -1) throws -> [UInt8] {
        let channels = colorType.channels
        guard samples.count == width * height * channels else {
            throw Failure(description: "\(samples.count) samples for \(width)x\(height)x\(channels)")
        }
        let rowBytes = dgt_fx_png_row_bytes(UInt32(width), Int32(bitDepth), colorType.rawValue)
        var rows = [UInt8](repeating: 0, count: rowBytes * height)
        let perRow = width * channels
        for y in 0..<height {
            for i in 0..<perRow {
                let value = Int(samples[y * perRow + i])
                precondition(value < 1 << bitDepth, "sample \(value) does not fit \(bitDepth) bits")
                let base = y * rowBytes
                switch bitDepth {
                case 16:
                    rows[base + 2 * i] = UInt8(value >> 8)
                    rows[base + 2 * i + 1] = UInt8(value & 0xFF)
                case 8:
                    rows[base + i] = UInt8(value)
                default:
                    let bit = i * bitDepth
                    rows[base + bit / 8] |= UInt8(value << (8 - bitDepth - bit % 8))
                }
            }
        }
        var options = dgt_fx_png_defaults(UInt32(width), UInt32(height), Int32(bitDepth), colorType.rawValue)
        options.interlaced = interlaced ? 1 : 0
        options.compression_level = Int32(compressionLevel)
        if let color = transparentColor {
            options.has_transparent_color = 1
            for (i, value) in color.prefix(3).enumerated() {
                withUnsafeMutableBytes(of: &options.transparent_color) {
                    $0.storeBytes(of: value, toByteOffset: i * 2, as: UInt16.self)
                }
            }
        }
        let flatPalette = palette.flatMap { [$0.0, $0.1, $0.2] }
        return try flatPalette.withUnsafeBufferPointer { paletteBytes in
            try paletteAlpha.withUnsafeBufferPointer { alpha in
                options.palette = paletteBytes.baseAddress
                options.palette_entries = Int32(palette.count)
                options.palette_alpha = alpha.baseAddress
                options.palette_alpha_count = Int32(paletteAlpha.count)
                return try collect { out, size, message in
                    rows.withUnsafeBufferPointer {
                        dgt_fx_png_write(&options, $0.baseAddress, $0.count, out, size, message)
                    }
                }
            }
        }
    }

    /// An 8-bit grayscale PNG of `image`.
    static func png(_ image: GrayImage, interlaced: Bool = false) throws -> [UInt8] {
        try png(width: image.width, height: image.height, bitDepth: 8, colorType: .gray,
                samples: image.pixels.map(UInt16.init), interlaced: interlaced)
    }

    enum JPEGColorSpace: Int32, Sendable {
        case auto = 0, grayscale = 1, rgb = 2, ycbcr = 3, cmyk = 4, ycck = 5
    }

    struct Scan: Sendable {
        var components: [Int32]
        var ss: Int32, se: Int32, ah: Int32 = 0, al: Int32 = 0
    }

    /// A JPEG of `pixels` (width*height*components bytes: gray, RGB or CMYK).
    static func jpeg(width: Int, height: Int, components: Int, pixels: [UInt8],
                     colorSpace: JPEGColorSpace = .auto, quality: Int = 95, progressive: Bool = false,
                     scans: [Scan] = [], adobeMarker: Bool? = nil, jfif: Bool? = nil, invertCMYK: Bool = false,
                     fullChroma: Bool = false, restartInterval: Int = 0, arithmetic: Bool = false,
                     exif: [UInt8]? = nil, markers: [(marker: Int32, data: [UInt8])] = []) throws -> [UInt8] {
        guard pixels.count == width * height * components else {
            throw Failure(description: "\(pixels.count) bytes for \(width)x\(height)x\(components)")
        }
        var options = dgt_fx_jpeg_defaults(UInt32(width), UInt32(height), Int32(components))
        options.color_space = colorSpace.rawValue
        options.quality = Int32(quality)
        options.progressive = progressive ? 1 : 0
        if let adobeMarker { options.write_adobe_marker = adobeMarker ? 1 : 0 }
        if let jfif { options.write_jfif_header = jfif ? 1 : 0 }
        options.invert_cmyk = invertCMYK ? 1 : 0
        options.full_chroma = fullChroma ? 1 : 0
        options.restart_interval = Int32(restartInterval)
        options.arithmetic = arithmetic ? 1 : 0
        let cScans: [dgt_fx_jpeg_scan] = scans.map { scan in
            var s = dgt_fx_jpeg_scan()
            s.components_in_scan = Int32(scan.components.count)
            withUnsafeMutableBytes(of: &s.component_index) { raw in
                for (i, c) in scan.components.enumerated() { raw.storeBytes(of: c, toByteOffset: i * 4, as: Int32.self) }
            }
            s.Ss = scan.ss; s.Se = scan.se; s.Ah = scan.ah; s.Al = scan.al
            return s
        }
        let allMarkers = (exif.map { [(marker: Int32(0xE1), data: $0)] } ?? []) + markers
        // Marker payloads must stay alive while the writer runs.
        let payload = allMarkers.flatMap(\.data)
        return try payload.withUnsafeBufferPointer { bytes in
            var offset = 0
            let cMarkers: [dgt_fx_jpeg_marker] = allMarkers.map { marker in
                defer { offset += marker.data.count }
                return dgt_fx_jpeg_marker(marker: marker.marker, data: bytes.baseAddress.map { $0 + offset },
                                          size: marker.data.count)
            }
            return try cMarkers.withUnsafeBufferPointer { markerList in
                try cScans.withUnsafeBufferPointer { scanList in
                    options.markers = markerList.baseAddress
                    options.num_markers = Int32(markerList.count)
                    options.scans = scanList.baseAddress
                    options.num_scans = Int32(scanList.count)
                    return try collect { out, size, message in
                        pixels.withUnsafeBufferPointer {
                            dgt_fx_jpeg_write(&options, $0.baseAddress, $0.count, out, size, message)
                        }
                    }
                }
            }
        }
    }

    /// An 8-bit grayscale JPEG of `image`.
    static func jpeg(_ image: GrayImage, quality: Int = 95, progressive: Bool = false,
                     exif: [UInt8]? = nil) throws -> [UInt8] {
        try jpeg(width: image.width, height: image.height, components: 1, pixels: image.pixels,
                 quality: quality, progressive: progressive, exif: exif)
    }

    /// A progressive script with one scan per DCT coefficient per component:
    /// 1 + 63 * components scans, a legal file far past the usual ~10.
    static func scanPerCoefficient(components: Int) -> [Scan] {
        var scans = [Scan(components: (0..<components).map(Int32.init), ss: 0, se: 0)]
        for c in 0..<components {
            for k in Int32(1)...63 { scans.append(Scan(components: [Int32(c)], ss: k, se: k)) }
        }
        return scans
    }

    /// The payload of an APP1 EXIF segment ("Exif\0\0" + TIFF) whose IFD0
    /// holds an Orientation (0x0112, SHORT) entry, after a harmless first entry
    /// so the reader has to walk the IFD.
    static func exif(orientation: Int, bigEndian: Bool = false) -> [UInt8] {
        var tiff: [UInt8] = []
        func u16(_ v: Int) { tiff += bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: Int) {
            if bigEndian { u16(v >> 16); u16(v & 0xFFFF) } else { u16(v & 0xFFFF); u16(v >> 16) }
        }
        tiff += bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        u16(42)
        u32(8)        // IFD0 right after the header
        u16(2)        // two entries
        u16(0x011A); u16(5); u32(1); u32(38)   // XResolution (RATIONAL) at offset 38
        u16(0x0112); u16(3); u32(1); u16(orientation); u16(0)
        u32(0)        // no next IFD
        u32(72); u32(1)  // the XResolution value
        return Array("Exif".utf8) + [0, 0] + tiff
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
            let end = message.firstIndex(of: 0) ?? message.count
            throw Failure(description: String(decoding: message[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }

    // MARK: - Byte surgery

    /// The PNG chunks as (offset of the length field, type, data length).
    static func pngChunks(_ png: [UInt8]) -> [(offset: Int, type: String, length: Int)] {
        var chunks: [(Int, String, Int)] = []
        var at = 8
        while at + 8 <= png.count {
            let length = Int(readBE32(png, at))
            chunks.append((at, String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self), length))
            at += 12 + length
        }
        return chunks
    }

    /// Recomputes the CRC of the chunk whose length field is at `offset`.
    static func fixPNGCRC(_ png: inout [UInt8], chunkAt offset: Int) {
        let length = Int(readBE32(png, offset))
        let crc = png[(offset + 4)..<(offset + 8 + length)].withContiguousStorageIfAvailable {
            crc32(0, $0.baseAddress, UInt32($0.count))
        }!
        writeBE32(&png, offset + 8 + length, UInt32(crc))
    }

    /// The PNG with its IHDR declaring `width` x `height` (CRC kept valid).
    static func patchingPNGSize(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = png
        precondition(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        writeBE32(&bytes, 16, width)
        writeBE32(&bytes, 20, height)
        fixPNGCRC(&bytes, chunkAt: 8)
        return bytes
    }

    /// Offset of the first byte after the marker `code` (0xFF code), i.e. its length field.
    static func jpegSegment(_ jpeg: [UInt8], marker code: UInt8) -> Int? {
        var i = 2
        while i + 4 <= jpeg.count, jpeg[i] == 0xFF {
            if jpeg[i + 1] == code { return i + 2 }
            if jpeg[i + 1] == 0xDA { return nil }
            i += 2 + (Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3]))
        }
        return nil
    }

    /// The JPEG with its SOF0/SOF2 frame header declaring `width` x `height`.
    static func patchingJPEGSize(_ jpeg: [UInt8], width: UInt16, height: UInt16) -> [UInt8] {
        var bytes = jpeg
        let sof = jpegSegment(bytes, marker: 0xC0) ?? jpegSegment(bytes, marker: 0xC2)!
        // length(2) precision(1) height(2) width(2)
        bytes[sof + 3] = UInt8(height >> 8); bytes[sof + 4] = UInt8(height & 0xFF)
        bytes[sof + 5] = UInt8(width >> 8); bytes[sof + 6] = UInt8(width & 0xFF)
        return bytes
    }

    // MARK: - Expected values

    /// Rec. 601 luminance as the decoders compute it (the formula).
    static func luma(_ r: Int, _ g: Int, _ b: Int) -> Int {
        (19595 * r + 38470 * g + 7471 * b + 32768) >> 16
    }

    /// `value` composited over white with 8-bit `alpha`, rounded.
    static func overWhite(_ value: Int, alpha: Int) -> Int {
        Int((Double(value * alpha + 255 * (255 - alpha)) / 255).rounded())
    }

    /// Mean absolute difference of two equally sized images.
    static func meanAbsDiff(_ a: GrayImage, _ b: GrayImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var sum = 0
        for i in a.pixels.indices { sum += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
        return Double(sum) / Double(max(1, a.pixels.count))
    }

    /// A zlib stream that inflates to 1 + 258 * copies zero bytes, ~1/1000 of
    /// that size: one fixed-Huffman block of a literal 0 followed by `copies`
    /// length-258, distance-1 matches (written by hand; zlib would take
    /// seconds to compress a gigabyte).
    static func zlibZeroBomb(copies: Int) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var bitBuffer: UInt64 = 0, bitCount = 0
        func put(_ value: UInt64, _ count: Int) {  // LSB-first, as deflate packs bits
            bitBuffer |= value << UInt64(bitCount)
            bitCount += count
            while bitCount >= 8 {
                out.append(UInt8(truncatingIfNeeded: bitBuffer))
                bitBuffer >>= 8
                bitCount -= 8
            }
        }
        func putCode(_ code: UInt64, _ count: Int) {  // Huffman codes go MSB-first
            var reversed: UInt64 = 0
            for i in 0..<count where code & (1 << UInt64(i)) != 0 { reversed |= 1 << UInt64(count - 1 - i) }
            put(reversed, count)
        }
        put(1, 1)                    // BFINAL
        put(1, 2)                    // BTYPE 01: fixed Huffman
        putCode(0b0011_0000, 8)      // literal 0
        for _ in 0..<copies {
            putCode(0b1100_0101, 8)  // length code 285: 258
            putCode(0, 5)            // distance code 0: 1
        }
        putCode(0, 7)                // end of block (256)
        if bitCount > 0 { put(0, 8 - bitCount) }
        let total = 1 + 258 * copies
        let adler = UInt32(total % 65521) << 16 | 1  // b = length, a = 1 for all-zero data
        out += [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
        return out
    }

    /// `bytes` compressed by zlib (level 9).
    static func zlibCompressed(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(compressBound(UInt(bytes.count))))
        var length = UInt(out.count)
        precondition(compress2(&out, &length, bytes, UInt(bytes.count), 9) == Z_OK)
        return Array(out[..<Int(length)])
    }

    /// A whole PNG chunk: length, type, data, CRC.
    static func pngChunk(type: String, data: [UInt8]) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 4) + Array(type.utf8) + data + [0, 0, 0, 0]
        writeBE32(&chunk, 0, UInt32(data.count))
        fixPNGCRC(&chunk, chunkAt: 0)
        return chunk
    }

    /// `png` with a chunk of `type` and `data` inserted right after IHDR.
    static func insertingPNGChunk(_ png: [UInt8], type: String, data: [UInt8]) -> [UInt8] {
        Array(png[..<33]) + pngChunk(type: type, data: data) + Array(png[33...])
    }

    /// `png` with whole `chunks` inserted before its first chunk of `type`.
    static func insertingPNGChunks(_ png: [UInt8], _ chunks: [[UInt8]], before type: String) -> [UInt8] {
        let at = pngChunks(png).first { $0.type == type }!.offset
        return Array(png[..<at]) + chunks.joined() + Array(png[at...])
    }

    static func readBE32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func writeBE32(_ bytes: inout [UInt8], _ at: Int, _ value: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
    }
}

/// A seeded generator for the corpus tests (distinct from the lead's SplitMix64).
struct CorpusRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x632B_E59B_D9B4_E019 }
    mutating func next() -> UInt64 {
        // xorshift64*
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
