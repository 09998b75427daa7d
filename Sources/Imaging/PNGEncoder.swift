import CImageCodecs

/// Writes 8-bit grayscale PNGs through libpng (previews, fixtures).
public enum PNGEncoder {
    public struct Error: Swift.Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ image: GrayImage) throws(Error) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: Int(DGT_MESSAGE_MAX))
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            message.withUnsafeMutableBufferPointer {
                dgt_png_encode_gray(pixels.baseAddress, UInt32(image.width), UInt32(image.height), &out, &size, $0.baseAddress)
            }
        }
        guard status == DGT_OK, let out else {
            throw Error(description: "PNG encoding failed: " + String(cString: message.map { UInt8(bitPattern: $0) } + [0]))
        }
        defer { dgt_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
