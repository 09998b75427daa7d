import CImageCodecs
#if canImport(Glibc)
import Glibc
#endif

public enum ImageFormat: String, Sendable, CustomStringConvertible {
    case png = "PNG"
    case jpeg = "JPEG"

    public var description: String { rawValue }

    static let signatures: [(ImageFormat, [UInt8])] = [
        (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        (.jpeg, [0xFF, 0xD8, 0xFF]),
    ]

    /// The format by magic bytes, never by file name. A file shorter than a
    /// signature but matching its start is still that format (and truncated).
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        for (format, signature) in signatures where !bytes.isEmpty {
            if bytes.starts(with: signature) || signature.starts(with: bytes) { return format }
        }
        return nil
    }
}

/// A decoded scan: luminance (alpha composited over white), EXIF orientation
/// applied, and when large already reduced (JPEG: DCT scaling; PNG: area averaging).
public struct DecodedImage: Sendable {
    public var image: GrayImage
    public var format: ImageFormat
    /// Size as stored in the file, before scaling and orientation.
    public var storedWidth: Int
    public var storedHeight: Int
    /// 1, 2, 4 or 8: the image was decoded at 1/scaleDenominator size.
    public var scaleDenominator: Int
    /// EXIF orientation 1-8 that was applied (1 when absent).
    public var orientation: Int
}

/// Turns PNG and JPEG bytes into a `GrayImage` through libpng and libjpeg.
public struct ImageDecoder: Sendable {
    public var limits: DecodeLimits
    /// A large image is decoded at 1/2, 1/4 or 1/8 size while its shorter side
    /// stays at least this long (0 decodes at full size): a JPEG by DCT scaling,
    /// a PNG by area averaging as it is read. 256 px leaves a digit that fills a
    /// fifth of the page ~50 px tall, well above the 20 px box, and keeps a 40 MP
    /// page from costing the normalizer hundreds of megabytes.
    public var minDecodedSide: Int

    public init(limits: DecodeLimits = .default, minDecodedSide: Int = 256) {
        self.limits = limits
        self.minDecodedSide = minDecodedSide
    }

    /// `budget`: the CPU time the decode may take (a scan's budget shared with its
    /// normalization); nil for a budget of its own, `limits.workBudgetSeconds`.
    public func decode(contentsOf path: String, budget: WorkBudget? = nil) throws(ImageDecodeError) -> DecodedImage {
        try decode(readFile(path), budget: budget)
    }

    public func decode(_ bytes: [UInt8], budget: WorkBudget? = nil) throws(ImageDecodeError) -> DecodedImage {
        if bytes.isEmpty { throw .empty }
        guard let format = ImageFormat.sniff(bytes) else {
            throw .notAnImage(prefix: Array(bytes.prefix(4)))
        }
        let budget = budget ?? WorkBudget(seconds: limits.workBudgetSeconds)
        switch format {
        case .png: return try decodePNG(bytes, budget: budget)
        case .jpeg: return try decodeJPEG(bytes, budget: budget)
        }
    }

    /// A regular file's bytes (never through a symlink), refused before reading when
    /// over `limits.maxFileBytes`.
    public func readFile(_ path: String) throws(ImageDecodeError) -> [UInt8] {
        try readFile(path.utf8CString)
    }

    /// The same for a path given as NUL-terminated bytes (Linux names need not be UTF-8).
    public func readFile(_ path: ContiguousArray<CChar>) throws(ImageDecodeError) -> [UInt8] {
        let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        if fd < 0 { throw Self.readError(errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw Self.readError(errno) }
        if (info.st_mode & S_IFMT) != S_IFREG { throw .unreadable("not a regular file") }
        let size = Int(info.st_size)
        if size > limits.maxFileBytes { throw .fileTooLarge(bytes: size, limit: limits.maxFileBytes) }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, size - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.readError(errno)
            }
            if n == 0 { break }  // shrank while we read: decode what is there
            filled += n
        }
        bytes.removeLast(size - filled)
        return bytes
    }

    /// A shortage (descriptors, memory) is `unavailable`: it passes. Anything else is the file's.
    static func readError(_ code: Int32) -> ImageDecodeError {
        [EMFILE, ENFILE, ENOMEM, ENOBUFS, EAGAIN, ENOSPC].contains(code) ? .unavailable(errno: code) : .unreadable(String(cString: strerror(code)))
    }

    private func decodePNG(_ bytes: [UInt8], budget: WorkBudget) throws(ImageDecodeError) -> DecodedImage {
        var header = dgt_png_header()
        var message = MessageBuffer()
        let status = bytes.withUnsafeBufferPointer { buffer in
            message.with { dgt_png_read_header(buffer.baseAddress, buffer.count, budget.deadline, &header, $0) }
        }
        if status == DGT_ERR_DIMENSIONS {
            // libpng refused the declared size itself: say why in our terms.
            try limits.check(width: Int(header.width), height: Int(header.height), format: .png)
        }
        if status != DGT_OK { throw Self.error(status, .png, message, budget) }
        let width = Int(header.width), height = Int(header.height)
        try limits.check(width: width, height: height, format: .png)

        let denominator = scaleDenominator(width: width, height: height)
        let outWidth = (width + denominator - 1) / denominator
        let outHeight = (height + denominator - 1) / denominator
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight)
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            pixels.withUnsafeMutableBufferPointer { out in
                message.with {
                    dgt_png_decode_gray(buffer.baseAddress, buffer.count,
                                        UInt32(limits.maxWidth), UInt32(limits.maxHeight), Int32(denominator),
                                        budget.deadline, out.baseAddress, out.count, $0)
                }
            }
        }
        if decoded != DGT_OK { throw Self.error(decoded, .png, message, budget) }
        return DecodedImage(image: GrayImage(width: outWidth, height: outHeight, pixels: pixels), format: .png,
                            storedWidth: width, storedHeight: height, scaleDenominator: denominator, orientation: 1)
    }

    private func decodeJPEG(_ bytes: [UInt8], budget: WorkBudget) throws(ImageDecodeError) -> DecodedImage {
        var header = dgt_jpeg_header()
        var message = MessageBuffer()
        let status = bytes.withUnsafeBufferPointer { buffer in
            message.with { dgt_jpeg_read_header(buffer.baseAddress, buffer.count, &header, $0) }
        }
        if status == DGT_ERR_DIMENSIONS {
            // libjpeg refused the declared size itself: say why in our terms.
            try limits.check(width: Int(header.width), height: Int(header.height), format: .jpeg)
        }
        if status != DGT_OK { throw Self.error(status, .jpeg, message, budget) }
        let width = Int(header.width), height = Int(header.height)
        try limits.check(width: width, height: height, format: .jpeg)

        let denominator = scaleDenominator(width: width, height: height)
        let outWidth = (width + denominator - 1) / denominator
        let outHeight = (height + denominator - 1) / denominator
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight)
        var decodedWidth: UInt32 = 0, decodedHeight: UInt32 = 0
        // A progressive or multi-scan file keeps every coefficient of the full
        // image (DCT scaling or not): 2 bytes per pixel per component, up to 4
        // components at 4:4:4, padded to whole MCUs, plus libjpeg's own working
        // buffers. Without the slack, a CMYK progressive file within maxPixels
        // fails as "corrupt JPEG: Backing store not supported".
        let memoryBudget = limits.maxPixels * 8 + (64 << 20)
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            pixels.withUnsafeMutableBufferPointer { out in
                message.with {
                    dgt_jpeg_decode_gray(buffer.baseAddress, buffer.count, Int32(denominator),
                                         Int32(limits.maxJPEGScans), memoryBudget, budget.deadline,
                                         out.baseAddress, out.count, &decodedWidth, &decodedHeight, $0)
                }
            }
        }
        if decoded != DGT_OK { throw Self.error(decoded, .jpeg, message, budget) }
        guard Int(decodedWidth) == outWidth, Int(decodedHeight) == outHeight else {
            throw .corrupt(.jpeg, "decoded \(decodedWidth)x\(decodedHeight), expected \(outWidth)x\(outHeight)")
        }
        let orientation = ExifOrientation.read(jpeg: bytes)
        let image = ExifOrientation.apply(orientation, to: GrayImage(width: outWidth, height: outHeight, pixels: pixels))
        return DecodedImage(image: image, format: .jpeg, storedWidth: width, storedHeight: height,
                            scaleDenominator: denominator, orientation: orientation)
    }

    /// The largest reduction (libjpeg's DCT scales) that keeps the shorter side ≥ minDecodedSide.
    func scaleDenominator(width: Int, height: Int) -> Int {
        guard minDecodedSide > 0 else { return 1 }
        let shorter = min(width, height)
        for denominator in [8, 4, 2] where (shorter + denominator - 1) / denominator >= minDecodedSide {
            return denominator
        }
        return 1
    }

    private static func error(_ status: Int32, _ format: ImageFormat, _ message: MessageBuffer,
                              _ budget: WorkBudget) -> ImageDecodeError {
        switch Int(status) {
        case Int(DGT_ERR_TRUNCATED): return .truncated(format)
        case Int(DGT_ERR_BUDGET): return .overBudget(format, seconds: budget.seconds)
        case Int(DGT_ERR_NOMEM): return .corrupt(format, "out of memory while decoding")
        default: return .corrupt(format, message.text.isEmpty ? "undecodable data" : message.text)
        }
    }
}

/// The C side's fixed-size message buffer.
private struct MessageBuffer {
    private var bytes = [CChar](repeating: 0, count: Int(DGT_MESSAGE_MAX))

    mutating func with<R>(_ body: (UnsafeMutablePointer<CChar>) -> R) -> R {
        bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    var text: String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
