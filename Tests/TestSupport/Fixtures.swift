import CImageFixtures
import DigitdCore
import Imaging

/// Builds PNG and JPEG test inputs in memory through libpng and libjpeg (the
/// CImageFixtures writers). The byte surgery the bad-input tests need, and the
/// values the decoders must produce, are in the other Fixtures+ files.
public enum Fixtures {
    public enum PNGColor: Int32, CaseIterable, Sendable, CustomStringConvertible {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        public var channels: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        public var description: String {
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
    public static func png(width: Int, height: Int, bitDepth: Int, colorType: PNGColor, samples: [UInt16],
                           palette: [(UInt8, UInt8, UInt8)] = [], paletteAlpha: [UInt8] = [],
                           transparentColor: [UInt16]? = nil, interlaced: Bool = false,
                           compressionLevel: Int = -1) throws -> [UInt8] {
        let channels = colorType.channels
        guard samples.count == width * height * channels else {
            throw DigitdError("\(samples.count) samples for \(width)x\(height)x\(channels)")
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

    /// An 8-bit PNG of `image`: grayscale, or RGB with the gray value in each channel.
    public static func png(_ image: GrayImage, rgb: Bool = false, interlaced: Bool = false) throws -> [UInt8] {
        let samples = image.pixels.map(UInt16.init)
        return try png(width: image.width, height: image.height, bitDepth: 8, colorType: rgb ? .rgb : .gray,
                       samples: rgb ? samples.flatMap { [$0, $0, $0] } : samples, interlaced: interlaced)
    }

    public enum JPEGColorSpace: Int32, Sendable {
        case auto = 0, grayscale = 1, rgb = 2, ycbcr = 3, cmyk = 4, ycck = 5
    }

    public struct Scan: Sendable {
        public var components: [Int32]
        public var ss: Int32, se: Int32, ah: Int32 = 0, al: Int32 = 0

        public init(components: [Int32], ss: Int32, se: Int32, ah: Int32 = 0, al: Int32 = 0) {
            self.components = components
            self.ss = ss
            self.se = se
            self.ah = ah
            self.al = al
        }
    }

    /// A JPEG of `pixels` (width*height*components bytes: gray, RGB or CMYK).
    public static func jpeg(width: Int, height: Int, components: Int, pixels: [UInt8],
                            colorSpace: JPEGColorSpace = .auto, quality: Int = 95, progressive: Bool = false,
                            scans: [Scan] = [], adobeMarker: Bool? = nil, jfif: Bool? = nil, invertCMYK: Bool = false,
                            fullChroma: Bool = false, restartInterval: Int = 0, arithmetic: Bool = false,
                            exif: [UInt8]? = nil, markers: [(marker: Int32, data: [UInt8])] = []) throws -> [UInt8] {
        guard pixels.count == width * height * components else {
            throw DigitdError("\(pixels.count) bytes for \(width)x\(height)x\(components)")
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
    public static func jpeg(_ image: GrayImage, quality: Int = 95, progressive: Bool = false,
                            exif: [UInt8]? = nil) throws -> [UInt8] {
        try jpeg(width: image.width, height: image.height, components: 1, pixels: image.pixels,
                 quality: quality, progressive: progressive, exif: exif)
    }

    /// A progressive script with one scan per DCT coefficient per component:
    /// 1 + 63 * components scans, a legal file far past the usual ~10.
    public static func scanPerCoefficient(components: Int) -> [Scan] {
        var scans = [Scan(components: (0..<components).map(Int32.init), ss: 0, se: 0)]
        for c in 0..<components {
            for k in Int32(1)...63 { scans.append(Scan(components: [Int32(c)], ss: k, se: k)) }
        }
        return scans
    }

    /// The payload of an APP1 EXIF segment ("Exif\0\0" + TIFF) whose IFD0
    /// holds an Orientation (0x0112, SHORT) entry, after a harmless first entry
    /// so the reader has to walk the IFD.
    public static func exif(orientation: Int, bigEndian: Bool = false) -> [UInt8] {
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

    /// The bytes a CImageFixtures writer returns (freed here), or its message as the error.
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
            throw DigitdError(String(decoding: message[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
