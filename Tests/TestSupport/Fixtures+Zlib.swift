import CZlib

/// zlib streams for the decompression-bomb tests.
extension Fixtures {
    /// A zlib stream that inflates to 1 + 258 * copies zero bytes, ~1/1000 of
    /// that size: one fixed-Huffman block of a literal 0 followed by `copies`
    /// length-258, distance-1 matches (written by hand; zlib would take
    /// seconds to compress a gigabyte).
    public static func zlibZeroBomb(copies: Int) -> [UInt8] {
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
    public static func zlibCompressed(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(compressBound(UInt(bytes.count))))
        var length = UInt(out.count)
        precondition(compress2(&out, &length, bytes, UInt(bytes.count), 9) == Z_OK)
        return Array(out[..<Int(length)])
    }
}
