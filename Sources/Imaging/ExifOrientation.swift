/// EXIF orientation (TIFF tag 0x0112) of a JPEG and how to undo it, so a photo
/// of a form taken sideways is seen upright.
public enum ExifOrientation {
    /// The orientation 1-8 from the JPEG's APP1 "Exif" segment, or 1 when there
    /// is none or it cannot be read (a bad EXIF block never fails a decode).
    public static func read(jpeg bytes: [UInt8]) -> Int {
        var i = 2
        while i + 4 <= bytes.count {
            guard bytes[i] == 0xFF else { return 1 }
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            if marker == 0xDA || marker == 0xD9 { return 1 }  // image data starts: no EXIF before it
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2, i + 2 + length <= bytes.count else { return 1 }
            if marker == 0xE1, let value = tiffOrientation(bytes[(i + 4)..<(i + 2 + length)]) {
                return value
            }
            i += 2 + length
        }
        return 1
    }

    private static func tiffOrientation(_ segment: ArraySlice<UInt8>) -> Int? {
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        guard segment.starts(with: exifHeader) else { return nil }
        let tiff = Array(segment.dropFirst(6))
        guard tiff.count >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<count {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at), let type = u16(at + 2) else { return nil }
            if tag == 0x0112 && type == 3, let value = u16(at + 8), (1...8).contains(value) {
                return value
            }
        }
        return nil
    }

    /// Turns an image stored with `orientation` upright.
    public static func apply(_ orientation: Int, to image: GrayImage) -> GrayImage {
        let w = image.width, h = image.height
        let transposes = orientation >= 5
        let outWidth = transposes ? h : w
        let outHeight = transposes ? w : h
        // Source pixel for each output pixel (x, y).
        let source: (Int, Int) -> Int
        switch orientation {
        case 2: source = { x, y in y * w + (w - 1 - x) }
        case 3: source = { x, y in (h - 1 - y) * w + (w - 1 - x) }
        case 4: source = { x, y in (h - 1 - y) * w + x }
        case 5: source = { x, y in x * w + y }
        case 6: source = { x, y in (h - 1 - x) * w + y }
        case 7: source = { x, y in (h - 1 - x) * w + (w - 1 - y) }
        case 8: source = { x, y in x * w + (w - 1 - y) }
        default: return image
        }
        var pixels = [UInt8](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    for x in 0..<outWidth { dst[y * outWidth + x] = src[source(x, y)] }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: pixels)
    }
}
