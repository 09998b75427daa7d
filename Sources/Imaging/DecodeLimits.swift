/// Bounds checked from a file's header before any pixel memory is allocated,
/// so a hostile or absurd file is refused instead of exhausting the machine.
public struct DecodeLimits: Sendable, Equatable {
    public var maxFileBytes: Int
    public var maxWidth: Int
    public var maxHeight: Int
    public var maxPixels: Int
    /// Progressive JPEG scans beyond this are refused (each is a full pass).
    public var maxJPEGScans: Int
    /// CPU seconds one scan's decode and normalization may take together (a
    /// `WorkBudget`): past it the work stops with an error. Measured on a 2-core
    /// EPYC: a 600 dpi A4 page takes 0.1-1.1 s (CMYK progressive JPEG the most:
    /// page-faulting its coefficient buffer); files of noise filling 40 MP and
    /// 64 MB 1.1-1.7 s, except a CMYK progressive JPEG of them (3 s, refused).
    public var workBudgetSeconds: Double

    public init(maxFileBytes: Int = 64 << 20, maxWidth: Int = 20_000, maxHeight: Int = 20_000,
                maxPixels: Int = 40_000_000, maxJPEGScans: Int = 100, workBudgetSeconds: Double = 2) {
        self.maxFileBytes = maxFileBytes
        self.maxWidth = maxWidth
        self.maxHeight = maxHeight
        self.maxPixels = maxPixels
        self.maxJPEGScans = maxJPEGScans
        self.workBudgetSeconds = workBudgetSeconds
    }

    public static let `default` = DecodeLimits()

    func check(width: Int, height: Int, format: ImageFormat) throws(ImageDecodeError) {
        if width == 0 || height == 0 { throw .zeroSize(format) }
        if width > maxWidth || height > maxHeight || width * height > maxPixels {
            throw .tooLarge(width: width, height: height, limits: self)
        }
    }
}
