import CZlib

/// Byte surgery on valid files: the bad inputs of the decoder and daemon tests.
extension Fixtures {
    /// The PNG chunks as (offset of the length field, type, data length).
    public static func pngChunks(_ png: [UInt8]) -> [(offset: Int, type: String, length: Int)] {
        var chunks: [(Int, String, Int)] = []
        var at = 8
        while at + 8 <= png.count {
            let length = Int(readBE32(png, at))
            chunks.append((at, String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self), length))
            at += 12 + length
        }
        return chunks
    }

    /// The first chunk of `type` (which must be there).
    public static func pngChunk(_ png: [UInt8], _ type: String) -> (offset: Int, type: String, length: Int) {
        pngChunks(png).first { $0.type == type }!
    }

    /// Recomputes the CRC of the chunk whose length field is at `offset`.
    public static func fixPNGCRC(_ png: inout [UInt8], chunkAt offset: Int) {
        let length = Int(readBE32(png, offset))
        let crc = png[(offset + 4)..<(offset + 8 + length)].withContiguousStorageIfAvailable {
            crc32(0, $0.baseAddress, UInt32($0.count))
        }!
        writeBE32(&png, offset + 8 + length, UInt32(crc))
    }

    /// The PNG with the first CRC byte of its first chunk of `type` damaged (`bit` flipped).
    public static func damagingPNGCRC(_ png: [UInt8], of type: String, bit: UInt8 = 0x01) -> [UInt8] {
        let chunk = pngChunk(png, type)
        var bytes = png
        bytes[chunk.offset + 8 + chunk.length] ^= bit
        return bytes
    }

    /// The PNG with its IHDR declaring `width` x `height` (CRC kept valid, so only the size is wrong).
    public static func patchingPNGSize(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
        var bytes = png
        precondition(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        writeBE32(&bytes, 16, width)
        writeBE32(&bytes, 20, height)
        fixPNGCRC(&bytes, chunkAt: 8)
        return bytes
    }

    /// Offset of the first byte after the marker `code` (0xFF code), i.e. its length field.
    public static func jpegSegment(_ jpeg: [UInt8], marker code: UInt8) -> Int? {
        var i = 2
        while i + 4 <= jpeg.count, jpeg[i] == 0xFF {
            if jpeg[i + 1] == code { return i + 2 }
            if jpeg[i + 1] == 0xDA { return nil }
            i += 2 + (Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3]))
        }
        return nil
    }

    /// The JPEG with its SOF0/SOF2 frame header declaring `width` x `height`.
    public static func patchingJPEGSize(_ jpeg: [UInt8], width: UInt16, height: UInt16) -> [UInt8] {
        var bytes = jpeg
        let sof = jpegSegment(bytes, marker: 0xC0) ?? jpegSegment(bytes, marker: 0xC2)!
        // length(2) precision(1) height(2) width(2)
        bytes[sof + 3] = UInt8(height >> 8); bytes[sof + 4] = UInt8(height & 0xFF)
        bytes[sof + 5] = UInt8(width >> 8); bytes[sof + 6] = UInt8(width & 0xFF)
        return bytes
    }

    /// The JPEG without its final EOI marker.
    public static func jpegWithoutEOI(_ jpeg: [UInt8]) -> [UInt8] {
        precondition(jpeg.suffix(2) == [0xFF, 0xD9])
        return Array(jpeg.dropLast(2))
    }

    /// A whole PNG chunk: length, type, data, CRC.
    public static func pngChunk(type: String, data: [UInt8]) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 4) + Array(type.utf8) + data + [0, 0, 0, 0]
        writeBE32(&chunk, 0, UInt32(data.count))
        fixPNGCRC(&chunk, chunkAt: 0)
        return chunk
    }

    /// `png` with a chunk of `type` and `data` inserted right after IHDR.
    public static func insertingPNGChunk(_ png: [UInt8], type: String, data: [UInt8]) -> [UInt8] {
        Array(png[..<33]) + pngChunk(type: type, data: data) + Array(png[33...])
    }

    /// `png` with whole `chunks` inserted before its first chunk of `type`.
    public static func insertingPNGChunks(_ png: [UInt8], _ chunks: [[UInt8]], before type: String) -> [UInt8] {
        let at = pngChunk(png, type).offset
        return Array(png[..<at]) + chunks.joined() + Array(png[at...])
    }

    public static func readBE32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    public static func writeBE32(_ bytes: inout [UInt8], _ at: Int, _ value: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
    }
}
